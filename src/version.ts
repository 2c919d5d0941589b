import {createRequire} from 'node:module'

/** lfdata's version, from package.json (written into manifests). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as {version: string}).version
