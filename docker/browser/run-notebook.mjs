// run-notebook.mjs: open a notebook in a running Jupyter Notebook (the
// classic UI, Debian's jupyter-notebook 6.x) with headless Chromium, check
// that it uses the Go (gonb) kernel, click Cell → Run All, wait for every
// cell to finish, and check what a reader would see.
//
// Usage: JUPYTER_TOKEN=... node run-notebook.mjs BASE_URL NOTEBOOK_PATH OUT_DIR
//   BASE_URL       e.g. http://127.0.0.1:41234
//   NOTEBOOK_PATH  relative to the server's notebook dir, e.g. 00-tour.ipynb
// The server's token comes from the environment, never from the arguments
// (which every local user can read in ps).
//
// It prints one line per assertion ("ok ..." or "FAIL ...") and, last, the
// path of the full-page screenshot. Exit status 0 only when every assertion
// held. Environment: CHROMIUM (default /usr/bin/chromium), RUN_TIMEOUT_S
// (default 900: the whole Run All).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const [base, nbPath, outDir] = process.argv.slice(2);
const token = process.env.JUPYTER_TOKEN;
if (!base || !token || !nbPath || !outDir) {
  console.error('usage: JUPYTER_TOKEN=... node run-notebook.mjs BASE_URL NOTEBOOK_PATH OUT_DIR');
  process.exit(2);
}
const runTimeout = 1000 * Number(process.env.RUN_TIMEOUT_S || 900);
fs.mkdirSync(outDir, { recursive: true });
const shot = path.join(outDir, path.basename(nbPath, '.ipynb') + '.png');
const profile = fs.mkdtempSync(path.join(outDir, 'chromium-profile-'));

let failures = 0;
function check(ok, what, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ': ' + detail : ''}`);
  if (!ok) failures++;
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] || await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  const url = `${base}/notebooks/${nbPath}?token=${encodeURIComponent(token)}`;
  await page.goto(url, { waitUntil: 'load', timeout: 60000 });

  // The notebook's kernelspec names gonb: wait until that kernel is up.
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
    Jupyter.notebook.kernel.is_connected(), null, { timeout: 120000 });
  const kernel = await page.evaluate(() => Jupyter.notebook.kernel.name);
  const display = (await page.locator('.kernel_indicator_name').textContent() || '').trim();
  check(kernel === 'gonb', 'kernel is gonb', `${kernel} ("${display}")`);

  // Run All, through the menu like a reader.
  await page.click('#celllink');
  await page.click('#run_all_cells');
  const t0 = Date.now();
  // Finished: every code cell has a number in its prompt (no "*", none empty)
  // and the kernel is idle.
  await page.waitForFunction(() => {
    const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
    const done = cells.every((c) => typeof c.input_prompt_number === 'number');
    const idle = document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
    return done && idle;
  }, null, { timeout: runTimeout, polling: 1000 });
  const cells = await page.evaluate(() => Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code').length);
  check(true, 'Run All finished', `${cells} code cells in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // No error output, no Go failure text.
  const errorCells = await page.locator('.output_area .output_error').count();
  check(errorCells === 0, 'no error outputs', errorCells ? `${errorCells} error output(s)` : '');
  const allText = (await page.locator('#notebook-container').textContent()) || '';
  const failText = allText.match(/panic: .*|exit status \d+|fatal error: .*/);
  check(!failText, 'no panic / exit status in outputs', failText ? failText[0] : '');

  // At least one inline figure with a non-zero size.
  const figs = await page.evaluate(() => {
    let n = 0;
    for (const el of document.querySelectorAll('.output_area svg, .output_area img')) {
      const r = el.getBoundingClientRect();
      if (r.width > 50 && r.height > 50) n++;
    }
    return n;
  });
  check(figs > 0, 'inline figures rendered', `${figs} figure(s) of non-zero size`);

  // The results table and the reproduction table.
  const tables = await page.locator('.output_area table').count();
  check(tables >= 1, 'results table present', `${tables} table(s)`);
  const repro = await page.locator('.output_area', { hasText: 'Reproduction:' }).count();
  // The verdicts, from the notebook's REPRO lines (the claim protocol of
  // lrsense/experiment: "REPRO<TAB>{json}"), as the page shows them.
  const lines = await page.evaluate(() => [...document.querySelectorAll('.output_area pre')]
    .flatMap((el) => el.textContent.split('\n')).filter((l) => l.startsWith('REPRO\t')));
  const verdicts = lines.map((l) => { try { return JSON.parse(l.slice(6)).verdict; } catch { return 'malformed'; } });
  const bad = verdicts.filter((v) => v !== 'PASS' && v !== 'DEVIATION');
  check(repro > 0 && verdicts.length > 0 && bad.length === 0, 'reproduction table present, no FAIL',
    repro ? `${verdicts.length} claim(s): ${verdicts.join(' ')}` : 'missing');
  check(consoleErrors.length === 0, 'no page errors', consoleErrors.slice(0, 3).join(' | '));

  // The classic UI scrolls inside #site, not the page: grow the viewport to
  // the whole notebook so the screenshot shows every cell.
  const height = await page.evaluate(() => document.querySelector('#notebook').scrollHeight + 150);
  await page.setViewportSize({ width: 1280, height: Math.min(height, 32000) });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: shot, fullPage: true });
} catch (e) {
  check(false, 'browser run', String(e).split('\n')[0]);
  try { await context.pages()[0].screenshot({ path: shot, fullPage: true }); } catch {}
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(failures === 0 ? 'browser test: all assertions held' : `browser test: ${failures} assertion(s) FAILED`);
console.log(shot);
process.exit(failures === 0 ? 0 : 1);
