// ESLint runs after Prettier in `npm run lint`. It guards the architecture rather than style: no
// import cycles in src/ (type-only imports included), so the engine stays provider-agnostic and
// providers reach it only through its port (see docs/adding-a-provider.md).
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
    },
  },
)
