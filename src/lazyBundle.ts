// Loads one of the bundles the extension host entry (dist/extension.js) leaves out: the heavy
// code of a feature, built by esbuild.mjs beside the entry as dist/<name>.js and required the
// first time the feature is used, so activation loads only the registrations.

import * as path from 'path';

/** Returns a loader of dist/<name>.js: the first call requires it, later calls return the same module. */
export function lazyBundle<Module>(name: string): () => Module {
  let loaded: Module | undefined;
  return () => {
    // a computed path, so esbuild leaves the require to run time instead of inlining the bundle
    loaded ??= require(path.join(__dirname, `${name}.js`)) as Module;
    return loaded;
  };
}
