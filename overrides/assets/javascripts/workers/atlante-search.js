/* Material's search worker, with the reader's words stemmed as the indexed text is.
 *
 * Material adds a trailing wildcard to every word of a query ("distretto" -> "distretto*"), and
 * lunr skips the stemmer for wildcard words, so with a stemmed index "distretto" misses pages that
 * say "distretti" and "districts" misses "district". Here a word that ends in the wildcard is
 * stemmed by the index's own pipeline first ("distrett*"), in each edition's language, wherever
 * lunr parses a query: for the search itself, and for Material's count of which words a result
 * holds (without the stem, every result would say the reader's word is missing, and the page it
 * opens would highlight nothing). A word a result does lack is named as the reader typed it.
 *
 * The page names Material's worker in the query string (overrides/main.html), so that this file
 * does not depend on Material's build hash; only a file of Material's worker folder is accepted.
 */
const material = new URL(self.location.href).searchParams.get("material") || ""
if (!/^search\.[0-9a-f]+\.min\.js$/.test(material)) {
  throw new Error("atlante-search: expected Material's worker file name, found " + JSON.stringify(material))
}
importScripts(material)

let pipeline = null  // the index's, once Material has built it (one index, one edition, per worker)
const build = lunr.Builder.prototype.build
lunr.Builder.prototype.build = function () {
  const index = build.call(this)
  pipeline = index.pipeline
  return index
}

const typed = new Map()  // stem -> the word the reader typed
const parse = lunr.QueryParser.prototype.parse
lunr.QueryParser.prototype.parse = function () {
  const query = parse.call(this)
  for (const clause of query.clauses) {
    const word = /^([^*]+)\*$/.exec(clause.term)
    if (word && !clause.usePipeline && pipeline) {
      const stems = pipeline.runString(word[1], { fields: clause.fields })
      if (stems.length === 1 && stems[0]) {
        clause.term = stems[0] + "*"
        typed.set(stems[0], word[1])
      }
    }
  }
  return query
}

// Material's results (message type 3) list, per result, the words it holds (true: the page it opens
// highlights them) and those it lacks (false: shown struck through): these by the typed word
const post = self.postMessage.bind(self)
self.postMessage = function (message, ...rest) {
  if (message && message.type === 3 && message.data && Array.isArray(message.data.items)) {
    for (const group of message.data.items) {
      for (const item of group) {
        if (!item.terms) continue
        const terms = {}
        for (const [term, held] of Object.entries(item.terms)) terms[held ? term : typed.get(term) || term] = held
        item.terms = terms
      }
    }
  }
  return post(message, ...rest)
}
