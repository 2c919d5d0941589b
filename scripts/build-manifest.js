#!/usr/bin/env node
// Writes oclif.manifest.json (the commands' ids, flags and file paths). Without it oclif imports every command
// module, and all they import, on each start to learn its flags: ~190 modules for `lfdata convert` instead of
// the ones convert needs. Built from the compiled commands, so it is regenerated on every build (git-ignored).
import {rmSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {Config} from '@oclif/core'

const root = fileURLToPath(new URL('..', import.meta.url))
const target = `${root}oclif.manifest.json`
rmSync(target, {force: true}) // a stale manifest would be read back instead of rebuilt
const config = await Config.load({root})
const manifest = config.plugins.get(config.pjson.name)?.manifest
if (!manifest || Object.keys(manifest.commands).length === 0) throw new Error('no commands found for the manifest')
writeFileSync(target, JSON.stringify(manifest, null, 2) + '\n')
