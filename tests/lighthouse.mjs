// Lighthouse (node_modules, package.json) on several pages in one process: its Node API, as the
// `lighthouse` command runs it, without starting Node and loading Lighthouse again for each page.
//
//   node tests/lighthouse.mjs --output FILE [--port N | --chrome-flags "..."] [--form-factor mobile|desktop]
//                             [--only-categories a,b] URL...
//
// Writes {url: report} as JSON to FILE (each report is what `lighthouse --output=json` writes).
// With --port, the pages open in the Chromium listening there; without it, in one this script
// starts (CHROME_PATH) with the flags given. The full-page screenshot, a picture for the HTML
// report that no audit scores, is not taken; without performance, the waits that measure it are
// shortened (below).
import fs from 'node:fs';
import {parseArgs} from 'node:util';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const {values, positionals: urls} = parseArgs({
  allowPositionals: true,
  options: {
    'output': {type: 'string'},
    'port': {type: 'string'},
    'chrome-flags': {type: 'string', default: ''},
    'form-factor': {type: 'string', default: 'mobile'},
    'only-categories': {type: 'string'},
  },
});
if (!values.output || !urls.length) {
  console.error('usage: node tests/lighthouse.mjs --output FILE [--port N] [--form-factor mobile|desktop] [--only-categories a,b] URL...');
  process.exit(2);
}

const chrome = values.port ? null : await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH, chromeFlags: values['chrome-flags'].split(' ').filter(Boolean),
});
const flags = {
  port: chrome ? chrome.port : Number(values.port), output: 'json', logLevel: 'error', disableFullPageScreenshot: true,
  ...(values['only-categories'] ? {onlyCategories: values['only-categories'].split(',')} : {}),
};
const preset = values['form-factor'] === 'desktop' ? desktopConfig : {extends: 'lighthouse:default'};  // as --preset=desktop
// Lighthouse waits after the load (a blank page first, then a second after first paint and after
// load, a second of quiet network and CPU) so that it can measure performance. Without performance,
// the page is audited once network and CPU have been quiet for a quarter of a second: the same
// audits, with the same results, about 1.5 s sooner per page.
const measured = !flags.onlyCategories || flags.onlyCategories.includes('performance');
const config = measured ? preset : {...preset, settings: {
  ...preset.settings, skipAboutBlank: true, pauseAfterFcpMs: 0, pauseAfterLoadMs: 0,
  networkQuietThresholdMs: 250, cpuQuietThresholdMs: 250,
}};
const reports = {};
try {
  for (const url of urls) {
    const result = await lighthouse(url, flags, config);
    reports[url] = result ? result.lhr : {runtimeError: {code: 'NO_RESULT', message: 'Lighthouse returned nothing'}};
  }
} finally {
  if (chrome) chrome.kill();
}
fs.writeFileSync(values.output, JSON.stringify(reports));
