/**
 * The module that provides a Go package: among `modules`, the longest path that is the import path itself or
 * a prefix of it at a `/` boundary. Longest, because modules nest (cloud.google.com/go/storage is a module of
 * its own inside cloud.google.com/go); at a boundary, because github.com/a/bc is not inside github.com/a/b.
 */
export function goModuleOf(importPath: string, modules: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const module of modules) {
    const inside = importPath === module || importPath.startsWith(`${module}/`);
    if (inside && (best === undefined || module.length > best.length)) best = module;
  }
  return best;
}
