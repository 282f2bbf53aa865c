// "Print this page" on confirmation pages: shown only when the browser can print it (the page itself is the record).
for (const link of document.querySelectorAll('[data-module="casework-print-link"]')) {
  link.closest('.casework-print-link').hidden = false
  link.addEventListener('click', (event) => {
    event.preventDefault()
    window.print()
  })
}
