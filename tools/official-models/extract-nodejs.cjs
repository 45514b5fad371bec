#!/usr/bin/env node
// Walks the `resources/**/*.d.ts` of the installed @imagekit/nodejs with the
// TypeScript compiler API and prints every exported interface, type alias and
// namespace member as normalised JSON (see README.md for the format).
//
// Run from the scratch folder that install.sh filled (modules resolve from the
// current directory, never from the repository):
//   cd /work/scratch/official-models && node <repo>/tools/official-models/extract-nodejs.cjs > models-nodejs.json
'use strict';

const path = require('path');
const fs = require('fs');
const { createRequire } = require('module');

const scratchRequire = createRequire(path.join(process.cwd(), 'package.json'));
const ts = scratchRequire('typescript');
const pkgDir = path.join(process.cwd(), 'node_modules', '@imagekit', 'nodejs');
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const resourcesDir = path.join(pkgDir, 'resources');

function walkDir(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walkDir(p));
    else if (entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

const roots = walkDir(resourcesDir);
const program = ts.createProgram(roots, { noEmit: true, strict: true, skipLibCheck: true });
const checker = program.getTypeChecker();

// `files/files.d.ts` -> `Files`, `accounts/url-endpoints.d.ts` -> `Accounts.UrlEndpoints`.
function modulePrefix(file) {
  const rel = path.relative(resourcesDir, file).replace(/\.d\.ts$/, '');
  const segs = rel.split(path.sep);
  if (segs.length >= 2 && segs[segs.length - 1] === segs[segs.length - 2]) segs.pop();
  return segs.map((s) => s.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')).join('.');
}

// Declaration node -> qualified model name, filled by the walk below.
const declNames = new Map();
// Qualified name -> { decl, file, kind }
const named = new Map();

function isExported(node) {
  return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0 || ts.isModuleBlock(node.parent);
}

function collect(statements, prefix, file) {
  for (const st of statements) {
    if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
      if (!isExported(st)) continue;
      const name = `${prefix}.${st.name.text}`;
      declNames.set(st, name);
      if (!named.has(name)) named.set(name, { decls: [], file });
      named.get(name).decls.push(st);
    } else if (ts.isModuleDeclaration(st) && st.body && ts.isModuleBlock(st.body)) {
      collect(st.body.statements, `${prefix}.${st.name.text}`, file);
    }
  }
}

for (const file of roots) {
  const sf = program.getSourceFile(file);
  collect(sf.statements, modulePrefix(file), file);
}

function nameOfSymbol(sym) {
  if (!sym) return undefined;
  if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  for (const d of sym.declarations || []) {
    if (declNames.has(d)) return declNames.get(d);
  }
  return undefined;
}

const anonymous = new Map(); // synthetic models for inline object types with properties

// ts.Type -> normalised type expression.
function convert(type, ctx, depth = 0) {
  if (depth > 40) throw new Error(`type too deep at ${ctx}`);
  // A named alias (e.g. `StreamingResolution`, `UpdateFileRequest`) stays a reference.
  const aliasName = nameOfSymbol(type.aliasSymbol);
  if (aliasName && depth > 0) return { kind: 'ref', name: aliasName };

  const f = type.flags;
  if (f & ts.TypeFlags.Any || f & ts.TypeFlags.Unknown) return { kind: 'unknown' };
  if (f & ts.TypeFlags.String) return { kind: 'string' };
  if (f & ts.TypeFlags.Number) return { kind: 'number' };
  if (f & ts.TypeFlags.Boolean) return { kind: 'boolean' };
  if (f & ts.TypeFlags.Null) return { kind: 'null' };
  if (f & ts.TypeFlags.Undefined || f & ts.TypeFlags.Void) return { kind: 'undefined' };
  if (f & ts.TypeFlags.StringLiteral) return { kind: 'literal', value: type.value };
  if (f & ts.TypeFlags.NumberLiteral) return { kind: 'literal', value: type.value };
  if (f & ts.TypeFlags.BooleanLiteral) return { kind: 'literal', value: checker.typeToString(type) === 'true' };
  if (f & ts.TypeFlags.Union) {
    let members = type.types.map((t) => convert(t, ctx, depth + 1));
    // `boolean` is `true | false` inside a union.
    const t = members.findIndex((m) => m.kind === 'literal' && m.value === true);
    const fl = members.findIndex((m) => m.kind === 'literal' && m.value === false);
    if (t >= 0 && fl >= 0) {
      members = members.filter((_, i) => i !== fl);
      members[members.findIndex((m) => m.kind === 'literal' && m.value === true)] = { kind: 'boolean' };
    }
    return { kind: 'union', members };
  }
  if (f & ts.TypeFlags.Intersection) {
    return { kind: 'intersection', members: type.types.map((t) => convert(t, ctx, depth + 1)) };
  }
  if (f & ts.TypeFlags.NonPrimitive) return { kind: 'unknown' }; // `object`
  if (f & ts.TypeFlags.Object) {
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const args = checker.getTypeArguments(type);
      return { kind: 'array', items: convert(args[0], ctx, depth + 1) };
    }
    const symName = nameOfSymbol(type.symbol);
    if (symName && depth > 0) return { kind: 'ref', name: symName };
    const sigs = type.getCallSignatures();
    if (sigs.length) return { kind: 'function' };
    // Only object types written in the SDK's resources are models; anything else
    // (Uploadable, RequestOptions, DOM types) is opaque to JSON.
    const home = ((type.symbol && type.symbol.declarations) || [])[0];
    const inResources = home && home.getSourceFile().fileName.startsWith(resourcesDir + path.sep);
    if (!symName && !inResources) return { kind: 'unknown', note: checker.typeToString(type) };
    const props = checker.getPropertiesOfType(type);
    const index = checker.getIndexInfosOfType(type);
    const additional = index.length ? convert(index[0].type, ctx, depth + 1) : null;
    if (props.length === 0 && additional) return { kind: 'map', values: additional };
    if (props.length === 0 && !symName) {
      // Opaque classes (Uploadable, Blob, ...) are not JSON.
      return { kind: 'unknown', note: checker.typeToString(type) };
    }
    if (depth === 0) return { kind: 'object', properties: properties(props, ctx), additional };
    // An inline object with properties: a synthetic model named after its place.
    const name = ctx;
    if (!anonymous.has(name)) {
      anonymous.set(name, null);
      anonymous.set(name, { kind: 'object', properties: properties(props, name), additional });
    }
    return { kind: 'ref', name };
  }
  return { kind: 'unknown', note: checker.typeToString(type) };
}

// Converts a written type node, keeping the order of union members as written
// (the checker's union types are ordered by type id, not by the source).
function convertNode(node, ctx, depth) {
  if (ts.isParenthesizedTypeNode(node)) return convertNode(node.type, ctx, depth);
  if (ts.isUnionTypeNode(node)) {
    const members = [];
    for (const t of node.types) {
      const c = convertNode(t, ctx, depth + 1);
      if (c.kind === 'union') members.push(...c.members);
      else members.push(c);
    }
    return { kind: 'union', members };
  }
  if (ts.isArrayTypeNode(node)) return { kind: 'array', items: convertNode(node.elementType, ctx, depth + 1) };
  if (ts.isTypeReferenceNode(node) && node.typeName.getText() === 'Array' && node.typeArguments && node.typeArguments.length === 1) {
    return { kind: 'array', items: convertNode(node.typeArguments[0], ctx, depth + 1) };
  }
  return convert(checker.getTypeFromTypeNode(node), ctx, depth);
}

function properties(props, ctx) {
  return props.map((p) => {
    const decl = p.valueDeclaration || (p.declarations || [])[0];
    // The declared type node keeps a named alias (`ExtensionConfig`) that the
    // symbol's type (`ExtensionConfig | undefined` under strict) would lose.
    const optional = (p.flags & ts.SymbolFlags.Optional) !== 0;
    const type = decl && decl.type
      ? convertNode(decl.type, `${ctx}.${p.name}`, 1)
      : convert(checker.getTypeOfSymbolAtLocation(p, decl), `${ctx}.${p.name}`, 1);
    return normaliseProperty(p.name, optional, type);
  });
}

// Strips `null`/`undefined` out of a property's type into flags, and lists literals.
function normaliseProperty(name, optional, type) {
  let nullable = false;
  if (type.kind === 'union') {
    const members = type.members.filter((m) => {
      if (m.kind === 'null') { nullable = true; return false; }
      if (m.kind === 'undefined') return false; // optional already says so
      return true;
    });
    type = members.length === 1 ? members[0] : { kind: 'union', members };
  } else if (type.kind === 'null') {
    nullable = true;
  }
  const out = { name, optional, nullable, type };
  const lits = literalsOf(type);
  if (lits) out.literals = lits;
  return out;
}

function literalsOf(type) {
  if (type.kind === 'literal') return [type.value];
  if (type.kind === 'union' && type.members.every((m) => m.kind === 'literal')) return type.members.map((m) => m.value);
  return undefined;
}

// Which side of the API each model is on: reachable from a resource method's
// result (response), its parameters (request), the webhook unwrap result
// (webhook) or the URL helper (helper).
const sides = new Map();
function mark(name, side, seen = new Set()) {
  if (!name || seen.has(name)) return;
  seen.add(name);
  if (!sides.has(name)) sides.set(name, new Set());
  sides.get(name).add(side);
  const m = models.get(name);
  if (m) for (const r of refsOf(m)) mark(r, side, seen);
}
function refsOf(node, out = []) {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, out));
  else if (node && typeof node === 'object') {
    if (node.kind === 'ref') out.push(node.name);
    for (const v of Object.values(node)) if (v && typeof v === 'object') refsOf(v, out);
  }
  return out;
}

const models = new Map();
for (const [name, { decls, file }] of [...named.entries()].sort(([a], [b]) => a.localeCompare(b))) {
  const decl = decls[0];
  const type = ts.isInterfaceDeclaration(decl) ? checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(decl.name)) : checker.getTypeAtLocation(decl.name);
  // A type alias keeps its members in written order too.
  const conv = ts.isTypeAliasDeclaration(decl) && !ts.isTypeLiteralNode(decl.type) ? convertNode(decl.type, name, 0) : convert(type, name, 0);
  const model = { name, file: path.relative(pkgDir, file), declaration: ts.isInterfaceDeclaration(decl) ? 'interface' : 'type' };
  if (conv.kind === 'object') {
    model.kind = 'object';
    model.properties = conv.properties;
    model.additional = conv.additional;
  } else {
    model.kind = conv.kind === 'union' && conv.members.every((m) => m.kind === 'literal') ? 'literals' : conv.kind;
    model.type = conv;
    const lits = literalsOf(conv);
    if (lits) model.literals = lits;
  }
  models.set(name, model);
}
for (const [name, conv] of anonymous) {
  models.set(name, { name, file: null, declaration: 'inline', kind: 'object', properties: conv.properties, additional: conv.additional });
}

// Resource classes: method results and parameters.
function unwrapPromise(t) {
  const s = t.symbol || t.aliasSymbol;
  const n = s ? s.name : '';
  if (/Promise$/.test(n)) {
    const args = t.aliasTypeArguments || checker.getTypeArguments(t) || [];
    if (args.length) return args[args.length - 1];
  }
  return t;
}
for (const file of roots) {
  const sf = program.getSourceFile(file);
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st) || !st.name) continue;
    const className = st.name.text;
    for (const member of st.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const sig = checker.getSignatureFromDeclaration(member);
      const side = className === 'Helper' ? 'helper' : className === 'Webhooks' ? 'webhook' : null;
      const result = unwrapPromise(checker.getReturnTypeOfSignature(sig));
      for (const r of refsOf(convert(result, `${className}.${member.name.getText()}.result`, 1))) mark(r, side || 'response');
      for (const p of sig.getParameters()) {
        const pt = checker.getTypeOfSymbolAtLocation(p, p.valueDeclaration);
        for (const r of refsOf(convert(pt, `${className}.${member.name.getText()}.${p.name}`, 1))) mark(r, side || 'request');
      }
    }
  }
}

const out = {
  sdk: 'nodejs',
  package: pkg.name,
  version: pkg.version,
  typescript: ts.version,
  models: [...models.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => ({ ...m, sides: [...(sides.get(m.name) || [])].sort() })),
};
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
