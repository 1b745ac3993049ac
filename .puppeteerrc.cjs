// Puppeteer cannot download its own browser on our machines: Debian's chromium is used instead
// (installed by scripts/lib/system.mjs, found by src/platform/pdf).
module.exports = { skipDownload: true };
