// GOV.UK Frontend components (error summary focus, character counts, details) on every page.
import { initAll } from './govuk-frontend.min.js'

initAll()

// The register import's progress page asks the server how far the load has got, every second, until it ends.
for (const box of document.querySelectorAll('[data-module="casework-import-progress"]')) {
  const bar = box.querySelector('progress')
  const status = box.querySelector('#import-status')
  const poll = async () => {
    const response = await fetch(box.dataset.statusUrl, { headers: { Accept: 'application/json' } })
    if (!response.ok) return
    const job = await response.json()
    bar.max = job.total
    bar.value = job.status === 'loaded' ? job.total : job.done
    bar.textContent = `${job.percent}%`
    if (job.status === 'loaded' || job.status === 'failed') {
      window.location.reload() // the page itself says what happened and what to do next
      return
    }
    status.textContent = job.status === 'running'
      ? `${job.done} of ${job.total} listings loaded (${job.percent}%). Nothing is on the register until all of them are.`
      : `Waiting for the worker to start: ${job.total} listings to load.`
    window.setTimeout(poll, 1000)
  }
  if (box.dataset.status === 'queued' || box.dataset.status === 'running') window.setTimeout(poll, 1000)
}

// The work queue's status list offers the chosen process's statuses: without this script it is filled in when the
// filters are applied; with it, as soon as a process is chosen (each process's statuses are on the list).
for (const status of document.querySelectorAll('select[data-statuses]')) {
  const process = status.form.querySelector('select[name="workflow"]')
  const statuses = JSON.parse(status.dataset.statuses)
  process.addEventListener('change', () => {
    const chosen = statuses[process.value] || []
    status.replaceChildren(new Option('Any status', ''), ...chosen.map(([value, label]) => new Option(label, value)))
    status.disabled = chosen.length === 0
    const hint = document.getElementById(`${status.id}-hint`)
    if (hint) hint.hidden = chosen.length > 0
  })
}
