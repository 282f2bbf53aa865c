// Draw the workflow diagram from its Mermaid source (the admin workflow page only).
window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' })
window.mermaid.run({ querySelector: 'pre.mermaid' })
