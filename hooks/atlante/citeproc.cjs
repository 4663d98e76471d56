// citeproc-js, the engine inside Zotero and most reference managers, rendering the citations' styled
// texts for atlante/cite.py: one process per build (or per preview), one request per line.
//
//   node citeproc.cjs <path of citeproc_commonjs.js>
//   stdin, one JSON object a line: {"style": <CSL XML>, "lang": "it-IT", "locales": {"it-IT": <XML>, …},
//                                   "items": [<CSL-JSON item>, …]}
//   stdout, one JSON list a line: [[<in-text HTML>, <bibliography entry HTML>], …], in the items' order
//                                 (or {"error": <message>})
//
// An engine is made once per style and language (a second for Chicago: most of a cold build's
// rendering) and kept for the next requests. Each item is rendered alone, as a panel cites it: no other
// item registered, so no disambiguation ("2026a") from its neighbours.
"use strict"

const readline = require("readline")
const CSL = require(process.argv[2])

const engines = new Map()
let current = { items: new Map(), locales: {} }

const sys = {
  retrieveLocale: (lang) => current.locales[lang] || false,
  retrieveItem: (id) => current.items.get(id),
}

function engine(style, lang) {
  const key = lang + "\u0000" + style
  if (!engines.has(key)) engines.set(key, new CSL.Engine(sys, style, lang, true))
  return engines.get(key)
}

function render(request) {
  current = { items: new Map(request.items.map((item) => [item.id, item])), locales: request.locales }
  const processor = engine(request.style, request.lang)
  return request.items.map((item) => {
    processor.updateItems([item.id])
    const inText = processor.makeCitationCluster([{ id: item.id }])
    const entries = processor.makeBibliography()[1]
    return [inText, entries.join("")]
  })
}

readline.createInterface({ input: process.stdin, terminal: false }).on("line", (line) => {
  let answer
  try {
    answer = render(JSON.parse(line))
  } catch (error) {
    answer = { error: String(error && error.stack || error) }
  }
  process.stdout.write(JSON.stringify(answer) + "\n")
})
