// The citation panels (overrides/atlante/figures/cite.html), and print:
// - every retrieval date becomes the reader's day, in the form its format or style writes dates;
// - a copy button copies its reference as plain text and says so on itself and in the panel's status line;
// - before printing, each link of the text gets its full address, which the print style shows;
// - the citation that the address points to (#cite, #cite-…) opens.
// Without JavaScript the panels still open and show every reference, dated by the edition.
(function () {
  "use strict"

  function pad(n) { return (n < 10 ? "0" : "") + n }

  function setAccessDates() {
    var now = new Date()
    var y = now.getFullYear(), m = now.getMonth() + 1, d = now.getDate()
    var iso = y + "-" + pad(m) + "-" + pad(d)
    var lang = document.documentElement.lang || "it"
    var month = new Intl.DateTimeFormat(lang, { month: "long" }).format(now)
    var parts = { Y: String(y), MMMM: month, Mmmm: month.charAt(0).toUpperCase() + month.slice(1), D: String(d), DD: pad(d) }
    var forms = { iso: iso, ris: iso.replace(/-/g, "/"), csl: "[[" + y + ", " + m + ", " + d + "]]" }
    document.querySelectorAll("time.atlante-accessed").forEach(function (time) {
      var format = time.getAttribute("data-format")
      if (format === "style") {  // as the style wrote the date (citeproc-js): "{MMMM} {D}, {Y}", "{D} {MMMM} {Y}"
        var pattern = time.getAttribute("data-pattern")
        if (!pattern) return
        time.textContent = pattern.replace(/\{(Y|MMMM|Mmmm|DD|D)\}/g, function (_all, part) { return parts[part] })
      } else if (forms[format]) {
        time.textContent = forms[format]
      } else {
        return
      }
      time.setAttribute("datetime", iso)
    })
  }

  // A copy is confirmed where the reader looks, on the button ("Copiato ✓", for two seconds), and in
  // the panel's live region, which screen readers announce
  function report(button, ok) {
    var panel = button.closest("details.atlante-cite:not(.atlante-cite__more)")
    var status = panel && panel.querySelector(".atlante-copy-status")
    if (status) {
      status.textContent = ""
      status.textContent = panel.getAttribute(ok ? "data-copied" : "data-copy-failed")
    }
    if (!ok || !panel) return
    if (!button.hasAttribute("data-label")) button.setAttribute("data-label", button.textContent)
    button.textContent = panel.getAttribute("data-copied-button")
    button.classList.add("is-copied")
    clearTimeout(button.atlanteTimer)
    button.atlanteTimer = setTimeout(function () {
      button.textContent = button.getAttribute("data-label")
      button.classList.remove("is-copied")
    }, 2000)
  }

  function copyBySelection(source) {
    var range = document.createRange()
    range.selectNodeContents(source)
    var selection = window.getSelection()
    selection.removeAllRanges()
    selection.addRange(range)
    var ok = false
    try { ok = document.execCommand("copy") } catch (error) { ok = false }
    return ok
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-atlante-copy]")
    if (!button) return
    var source = document.getElementById(button.getAttribute("data-atlante-copy"))
    if (!source) return
    var text = source.textContent.replace(/[ \t]+\n/g, "\n").trim()
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { report(button, true) },
        function () { report(button, copyBySelection(source)) })
    } else {
      report(button, copyBySelection(source))
    }
  })

  // On paper a link's address must be readable: each link of the text shows its full address,
  // except those within the page (the whole brief links its own sections)
  // (resolved against the page's canonical address, so paper shows the published site's addresses)
  window.addEventListener("beforeprint", function () {
    var canonical = document.querySelector("link[rel=canonical]")
    var base = canonical ? canonical.href : location.href
    document.querySelectorAll(".md-content a[href]").forEach(function (link) {
      var href = link.getAttribute("href")
      if (href.charAt(0) === "#" || link.closest(".atlante-cite, figure")) return
      link.setAttribute("data-print-url", new URL(href, base).href)
    })
  })

  // A link to a citation (#cite, a statement's #cite-…, from an entry's page) opens it
  function openLinkedCitation() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)))
    if (!target) return
    var details = target.matches("details.atlante-cite") ? target : target.querySelector("details.atlante-cite")
    if (details) details.open = true
  }
  window.addEventListener("hashchange", openLinkedCitation)

  function ready() { setAccessDates(); openLinkedCitation() }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready)
  else ready()
})()
