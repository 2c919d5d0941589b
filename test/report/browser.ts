import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {chromium, type BrowserContext} from 'playwright-core'

/** Debian's Chromium (`.ci/run` installs it when missing); LFDATA_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.LFDATA_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Launches headless Chromium with a fresh profile and everything that could reach the network at start-up
 * switched off (the reports must render offline anyway). Returns the browser and a cleanup.
 */
export async function launch(): Promise<{browser: BrowserContext; close: () => Promise<void>}> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set LFDATA_CHROMIUM)`)
  const profile = mkdtempSync(join(tmpdir(), 'lfdata-chromium-'))
  // Playwright passes the fresh profile as --user-data-dir itself.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: {width: 1200, height: 900},
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  return {
    browser,
    close: async () => {
      await browser.close()
      rmSync(profile, {recursive: true, force: true})
    },
  }
}
