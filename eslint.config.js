// ESLint runs after Prettier in `npm run lint`. It guards the architecture rather than style: no
// import cycles in src/ (type-only imports included), so the engine stays provider-agnostic and
// providers reach it only through its port (see docs/adding-a-provider.md); and no `c.var` reads
// on the request path.
import tseslint from 'typescript-eslint'
import { importX } from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import noImportCycle from './eslint/no-import-cycle.js'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'openapi/**', 'reports/**', '.stryker-tmp/**'] },
  {
    files: ['src/**/*.ts'],
    extends: [importX.flatConfigs.typescript],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { local: { rules: { 'no-import-cycle': noImportCycle } } },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      // import-x/no-cycle ignores `import type`; local/no-import-cycle counts it (see its header).
      'import-x/no-cycle': 'error',
      'local/no-import-cycle': 'error',
      'import-x/no-self-import': 'error',
      // Hono's `c.var` copies every context variable into a new object on each read; the request
      // path reads the journal entry dozens of times per request.
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='var'][object.name='c']",
          message: "Read context variables with c.get('name'): c.var builds a new object on every access.",
        },
      ],
    },
  },
)
