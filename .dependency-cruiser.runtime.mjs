/*
 * A second pass over the graph as Node loads it (type-only imports erased), for the one rule
 * that must follow imports transitively: `domain-is-pure` in .dependency-cruiser.cjs sees direct
 * imports only, and a barrel such as `@bus/platform` or a re-export can still load pg or Nest.
 * It is a separate pass because dependency-cruiser's reachability follows every edge, and a
 * type-only import (a domain type from the `@bus/contracts` barrel) loads nothing.
 */
import base from './.dependency-cruiser.cjs';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'domain-reaches-no-io',
      severity: 'error',
      comment:
        'A domain/ file loads, through any chain of imports and re-exports, a package that does ' +
        'I/O. Import platform from domain/ as @bus/platform/pure.',
      from: { path: '/domain/', pathNot: '\\.(int-)?spec\\.ts$' },
      to: { path: base.IO_PACKAGES, reachable: true },
    },
  ],
  options: { ...base.options, tsPreCompilationDeps: false },
};
