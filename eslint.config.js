// ESLint over src/ and test/ with typescript-eslint's type-checked recommended rules (npm run lint).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'bench/**', 'scripts/**', 'bin/**', 'node_modules/**', 'eslint.config.js', '.dependency-cruiser.cjs']},
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
    rules: {
      // `_` names a value kept only to be left out (a rest sibling, a loop that only counts).
      '@typescript-eslint/no-unused-vars': ['error', {varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true}],
      // 'l' is V8's linear-time engine flag, which --drop-regex relies on (README: Decisions).
      'no-invalid-regexp': ['error', {allowConstructorFlags: ['l']}],
      // Off: `async` without `await` is how a function promises to fail by rejecting, never by a synchronous throw.
      '@typescript-eslint/require-await': 'off',
      // Off: String(x) on values read from JSON/YAML/CSV is the intended rendering in messages (Python-style str is lf/py.ts's pyStr).
      '@typescript-eslint/no-base-to-string': 'off',
      // Reject (to-example.ts) and Stop (json-error.ts) are control-flow signals thrown per record; an Error's stack capture would cost on that path.
      '@typescript-eslint/only-throw-error': ['error', {allow: [{from: 'file', name: ['Reject', 'Stop']}]}],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.stringContaining …) are typed `any`; placing them in an expected object is their use.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
)
