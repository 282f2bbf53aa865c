// Draw the workflow diagram from its Mermaid source at a readable size (16px text, not shrunk to the column),
// in a region that scrolls both ways, with buttons to zoom out to see it whole and back in to read it.
const figure = document.querySelector('[data-diagram]')
window.mermaid.initialize({
  startOnLoad: false,
  securityLevel: 'strict',
  theme: 'neutral',
  themeVariables: { fontSize: '16px', fontFamily: 'arial, sans-serif' },
  state: { useMaxWidth: false }
})

async function draw () {
  await window.mermaid.run({ nodes: figure.querySelectorAll('pre.mermaid') })
  const svg = figure.querySelector('svg')
  const region = figure.querySelector('.casework-diagram')
  const shown = figure.querySelector('[data-zoom-level]')
  const natural = svg.viewBox.baseVal.width || svg.getBoundingClientRect().width
  let scale = 1
  const show = (next) => {
    scale = Math.min(3, Math.max(0.05, next))
    svg.style.maxWidth = 'none'
    svg.style.width = `${Math.round(natural * scale)}px`
    svg.style.height = 'auto'
    shown.textContent = `${Math.round(scale * 100)}%`
  }
  const actions = {
    in: () => show(scale * 1.25),
    out: () => show(scale / 1.25),
    fit: () => show((region.clientWidth - 4) / natural),
    actual: () => show(1)
  }
  figure.querySelectorAll('[data-zoom]').forEach((button) => {
    button.addEventListener('click', () => actions[button.dataset.zoom]())
  })
  figure.querySelector('.casework-diagram__controls').hidden = false
  show(1)
  // Start where the process starts: the diagram is wider than the page, and its first state is rarely at the left.
  const start = svg.querySelector('g.node')
  if (start) {
    const box = start.getBoundingClientRect()
    const frame = region.getBoundingClientRect()
    region.scrollLeft += box.left - frame.left - (region.clientWidth - box.width) / 2
  }
}

draw()
