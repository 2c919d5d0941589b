#!/usr/bin/env node
// Copies DejaVu Sans (dev dependency dejavu-fonts-ttf; free licence, see its LICENSE) into dist/fonts, so the
// PNG renderer of `--plot x.png` draws text with a font it ships instead of whatever the machine has.
import {copyFileSync, mkdirSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const pkg = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'))
mkdirSync(join(root, 'dist', 'fonts'), {recursive: true})
copyFileSync(join(pkg, 'ttf', 'DejaVuSans.ttf'), join(root, 'dist', 'fonts', 'DejaVuSans.ttf'))
copyFileSync(join(pkg, 'LICENSE'), join(root, 'dist', 'fonts', 'DejaVuSans.LICENSE'))
