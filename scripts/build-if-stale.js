#!/usr/bin/env node
// `pretest`: builds only when dist/ is older than what it is built from, so `npm ci && npm test` builds once
// (`prepare` did it) and an edited checkout still tests fresh code. The build's last step writes
// oclif.manifest.json, so its time is the build's.
import {existsSync, readdirSync, statSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const newest = (path) => {
  const s = statSync(path)
  if (!s.isDirectory()) return s.mtimeMs
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs)
}
const manifest = join(root, 'oclif.manifest.json')
const inputs = ['src', 'scripts/build-tokenizers.js', 'scripts/build-manifest.js', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json']
const built = existsSync(manifest) ? statSync(manifest).mtimeMs : 0
const source = Math.max(...inputs.map((p) => join(root, p)).filter(existsSync).map(newest))
if (built > source) {
  console.log('build is current (dist/ newer than src/); not rebuilding')
} else {
  const r = spawnSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'})
  process.exit(r.status ?? 1)
}
