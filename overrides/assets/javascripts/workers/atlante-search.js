/* Material's search worker, with the reader's words stemmed as the indexed text is.
 *
 * Material adds a trailing wildcard to every word of a query ("distretto" -> "distretto*"), and
 * lunr skips the stemmer for wildcard words, so with a stemmed index "distretto" misses pages that
 * say "distretti" and "districts" misses "district". Here a word that ends in the wildcard is
 * stemmed by the index's own pipeline first ("distrett*"), in each edition's language.
 *
 * The page names Material's worker in the query string (overrides/main.html), so that this file
 * does not depend on Material's build hash; only a file of Material's worker folder is accepted.
 */
const material = new URL(self.location.href).searchParams.get("material") || ""
if (!/^search\.[0-9a-f]+\.min\.js$/.test(material)) {
  throw new Error("atlante-search: expected Material's worker file name, found " + JSON.stringify(material))
}
importScripts(material)

const query = lunr.Index.prototype.query
lunr.Index.prototype.query = function (build) {
  const pipeline = this.pipeline
  return query.call(this, function (q) {
    build.call(q, q)
    for (const clause of q.clauses) {
      const word = /^([^*]+)\*$/.exec(clause.term)
      if (word && !clause.usePipeline) {
        const stems = pipeline.runString(word[1], { fields: clause.fields })
        if (stems.length === 1 && stems[0]) clause.term = stems[0] + "*"
      }
    }
  })
}
