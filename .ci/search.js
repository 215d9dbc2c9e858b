// Search in headless Chromium, from file:// and served: type a bug number, a
// tag, a person and a word of a question; the right page must be among the
// results. Then the search box of an ordinary page leads to the same results.
//
//   node .ci/search.js SITE_DIR [SERVED_BASE_URL] [NODE_MODULES]
const path = require("path");
const site = path.resolve(process.argv[2]);
const served = process.argv[3] || "";
const modules = process.argv[4] || path.join(__dirname, "..", "target", "ci-tools", "node_modules");
const { chromium } = require(path.join(modules, "playwright-core"));

const cases = [
  ["1235559", "releases/2026-11-30/index.html"],
  ["v1.15.5", "releases/2026-11-30/index.html"],
  ["Tess", "people/index.html"],
  ["CrossWeave", "questions/index.html#q"],
];

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const page = await browser.newPage();
  let failed = 0;
  const bases = ["file://" + site + "/"];
  if (served) bases.push(served.replace(/\/?$/, "/"));
  for (const base of bases) {
    for (const [query, want] of cases) {
      await page.goto(base + "search/index.html");
      await page.fill("#search-q", query);
      const hrefs = await page.$$eval("#search-results a", (as) => as.map((a) => a.href));
      const hit = hrefs.some((h) => h.includes(want));
      console.log(`${hit ? "ok  " : "FAIL"} ${base} "${query}" -> ${want} (${hrefs.length} results)`);
      if (!hit) failed += 1;
    }
    // The search box on an ordinary page.
    await page.goto(base + "process/index.html");
    await page.fill("#site-q", "v1.15.5");
    await Promise.all([page.waitForNavigation(), page.press("#site-q", "Enter")]);
    const status = await page.textContent("#search-status");
    const hrefs = await page.$$eval("#search-results a", (as) => as.map((a) => a.href));
    const ok = hrefs.some((h) => h.includes("releases/2026-11-30/index.html"));
    console.log(`${ok ? "ok  " : "FAIL"} ${base} header search box -> ${status}`);
    if (!ok) failed += 1;
  }
  await browser.close();
  console.log(failed ? `${failed} search check(s) failed` : "search works");
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
