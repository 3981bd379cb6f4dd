// The web page's figures for scripts/bench, measured in Debian's Chromium: node bench.mjs LONG_URL LONG_RUN MANY_URL
// prints one JSON line: milliseconds from the click to a run's drawn loss curve, from a jump or an arrow key to an
// epoch's exact values, and from navigation to the drawn runs page.
import { browser, marked, indexed } from './harness.mjs';

const [longUrl, longRun, manyUrl] = process.argv.slice(2);
const chrome = await browser();
const page = await chrome.context.newPage();
const origin = (u) => new URL(u).origin;
const result = { curveMs: [], scrubMs: [], runsMs: [] };
try {
  await page.goto(longUrl);
  await indexed(page, origin(longUrl));
  for (let i = 0; i < 7; i++) {
    await page.goto(origin(longUrl) + '/');
    await page.waitForSelector('#runs-body td.name a[href="/runs/' + longRun + '"]');
    await page.click('#runs-body td.name a[href="/runs/' + longRun + '"]');
    result.curveMs.push(await marked(page, 'curveDrawnMs'));
  }
  const epochs = Number(await page.evaluate(() => document.documentElement.dataset.epochsRecorded));
  let seed = 7;
  const random = () => { seed = (seed * 48271) % 2147483647; return seed / 2147483647; };
  // A few first, so the figure is the lookup's and not the JIT's.
  for (let i = 0; i < 45; i++) {
    const epoch = 1 + Math.floor(random() * (epochs - 2));
    await page.fill('#jump', String(epoch));
    await page.press('#jump', 'Enter');
    await page.waitForFunction((e) => document.documentElement.dataset.shownEpoch === String(e), epoch);
    const jumped = Number(await page.evaluate(() => document.documentElement.dataset.scrubMs));
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((e) => document.documentElement.dataset.shownEpoch === String(e + 1), epoch);
    const stepped = Number(await page.evaluate(() => document.documentElement.dataset.scrubMs));
    if (i >= 5) result.scrubMs.push(jumped, stepped);
  }
  await page.goto(manyUrl);
  await indexed(page, origin(manyUrl));
  for (let i = 0; i < 7; i++) {
    await page.goto(origin(manyUrl) + '/');
    result.runsMs.push(await marked(page, 'runsRenderedMs'));
    result.runs = await page.locator('#runs-body tr').count();
  }
} finally {
  await chrome.close();
}
console.log(JSON.stringify(result));
