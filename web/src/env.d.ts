// The root typecheck (`tsc -p .`, Node types, no DOM) includes web/; the portal runs in a
// browser, so its files bring the DOM library with them. web/tsconfig.json is the portal's
// own, DOM-only view for editors.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
