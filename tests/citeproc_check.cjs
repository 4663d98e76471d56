// The suite's own run of citeproc-js (npm `citeproc`, as package-lock.json pins it), independent of
// the build's (hooks/atlante/citeproc.cjs): what a reference manager prints from a page's CSL-JSON.
//   stdin: [{"style": <CSL XML>, "lang": "en-US", "locales": {<name>: <XML>}, "items": [<CSL-JSON item>]}, …]
//   stdout: [[[<in-text HTML>, <bibliography HTML>], …], …], job by job, item by item
"use strict"

const fs = require("fs")
const CSL = require("citeproc")

const jobs = JSON.parse(fs.readFileSync(0, "utf8"))
const out = jobs.map((job) => {
  const items = new Map(job.items.map((item) => [item.id, item]))
  const engine = new CSL.Engine({
    retrieveLocale: (lang) => job.locales[lang] || false,
    retrieveItem: (id) => items.get(id),
  }, job.style, job.lang, true)
  return job.items.map((item) => {
    engine.updateItems([item.id])  // each item alone, as a reference manager cites one source
    return [engine.makeCitationCluster([{ id: item.id }]), engine.makeBibliography()[1].join("")]
  })
})
process.stdout.write(JSON.stringify(out))
