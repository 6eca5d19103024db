/**
 * `GET /docs`: the API reference as one self-contained HTML page, rendered on the server from
 * the same OpenAPI document `/openapi.json` serves. No script, no stylesheet or font from
 * anywhere else, so it works offline and under a strict content security policy. Loaded only
 * by the first `/docs` request (./docs-route.ts), so no other request starts with it.
 */
type Json = Record<string, unknown>;
type Schema = Json & { $ref?: string };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const MAX_DEPTH = 6;

const esc = (value: unknown) => String(value).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const refName = (ref: string) => ref.split('/').pop() ?? ref;
const anchor = (text: string) =>
  text
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** One line that says what a value must be: `string (E.164) · 1-100 chars · default "zh-CN"`. */
function constraints(s: Schema): string {
  const parts: string[] = [];
  if (s.format) parts.push(`format ${esc(s.format)}`);
  if (s.minLength !== undefined || s.maxLength !== undefined) parts.push(`${s.minLength ?? 0}–${s.maxLength ?? '∞'} chars`);
  if (s.minimum !== undefined) parts.push(`≥ ${esc(s.minimum)}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${esc(s.exclusiveMinimum)}`);
  if (s.maximum !== undefined) parts.push(`≤ ${esc(s.maximum)}`);
  if (s.exclusiveMaximum !== undefined) parts.push(`< ${esc(s.exclusiveMaximum)}`);
  if (s.minItems !== undefined || s.maxItems !== undefined) parts.push(`${s.minItems ?? 0}–${s.maxItems ?? '∞'} items`);
  if (s.pattern) parts.push(`pattern <code>${esc(s.pattern)}</code>`);
  if (s.default !== undefined) parts.push(`default <code>${esc(JSON.stringify(s.default))}</code>`);
  if (s.example !== undefined) parts.push(`e.g. <code>${esc(JSON.stringify(s.example))}</code>`);
  if (s.const !== undefined) parts.push(`always <code>${esc(JSON.stringify(s.const))}</code>`);
  if (Array.isArray(s.enum)) parts.push(`one of ${s.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' ')}`);
  return parts.join(' · ');
}

function typeLabel(s: Schema): string {
  if (s.$ref) return `<a href="#schema-${anchor(refName(s.$ref))}">${esc(refName(s.$ref))}</a>`;
  const variants = list(s.anyOf).length ? list(s.anyOf) : list(s.oneOf);
  if (variants.length) return variants.map((v) => typeLabel(obj(v))).join(' | ');
  if (list(s.allOf).length)
    return list(s.allOf)
      .map((v) => typeLabel(obj(v)))
      .join(' & ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type as string | undefined);
  if (type === 'array') return `array of ${typeLabel(obj(s.items))}`;
  if (s.const !== undefined) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  return esc(type ?? 'any');
}

/** A schema as a nested table of fields; `$ref`s link to the schema section below. */
function renderSchema(s: Schema, depth = 0): string {
  if (depth > MAX_DEPTH || s.$ref) return `<p class="type">${typeLabel(s)}</p>`;
  const variants = list(s.oneOf).length ? list(s.oneOf) : list(s.anyOf);
  if (variants.length) {
    const label = s.discriminator ? ` (by <code>${esc(obj(s.discriminator).propertyName)}</code>)` : '';
    return `<div class="variants"><p>one of${label}:</p>${variants.map((v) => `<div class="variant">${renderSchema(obj(v), depth + 1)}</div>`).join('')}</div>`;
  }
  if (list(s.allOf).length)
    return list(s.allOf)
      .map((v) => renderSchema(obj(v), depth + 1))
      .join('');
  const type = Array.isArray(s.type) ? s.type : [s.type];
  if (type.includes('array')) {
    const items = obj(s.items);
    const nested = items.$ref || !(items.properties || items.oneOf || items.anyOf) ? '' : renderSchema(items, depth + 1);
    return `<p class="type">array of ${typeLabel(items)} ${constraints(s)}</p>${nested}`;
  }
  const properties = obj(s.properties);
  if (!Object.keys(properties).length) {
    const extra = s.additionalProperties && s.additionalProperties !== true ? `; values: ${typeLabel(obj(s.additionalProperties))}` : '';
    return `<p class="type">${typeLabel(s)}${extra} ${constraints(s)}</p>`;
  }
  const required = new Set(list(s.required).map(String));
  const rows = Object.entries(properties).map(([name, raw]) => {
    const p = obj(raw) as Schema;
    const inline = (x: Json) => Object.keys(obj(x.properties)).length > 0 || list(x.oneOf).length > 0 || list(x.anyOf).length > 1;
    const nested = !p.$ref && (inline(p) || inline(obj(p.items)));
    return `<tr><td><code>${esc(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td><td>${typeLabel(p)}</td><td>${p.description ? `${esc(p.description)}<br>` : ''}${constraints(p)}${nested ? renderSchema(p, depth + 1) : ''}</td></tr>`;
  });
  const closed = s.additionalProperties === false ? '<p class="note">No other fields are accepted.</p>' : '';
  return `<div class="scroll"><table class="fields"><thead><tr><th>field</th><th>type</th><th>notes</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${closed}`;
}

/** A body: its media type and its schema, a top-level `$ref` expanded in place. */
function renderContent(content: unknown, doc: Json): string {
  return Object.entries(obj(content))
    .map(([mediaType, media]) => {
      const schema = obj(obj(media).schema) as Schema;
      const name = schema.$ref ? refName(schema.$ref) : undefined;
      const resolved = name ? (obj(obj(obj(doc.components).schemas)[name]) as Schema) : schema;
      const label = name ? ` — <a href="#schema-${anchor(name)}">${esc(name)}</a>` : '';
      return `<p class="media"><code>${esc(mediaType)}</code>${label}</p>${renderSchema(resolved)}`;
    })
    .join('');
}

function authLabel(op: Json, doc: Json): string {
  const security = op.security === undefined ? list(doc.security) : list(op.security);
  const schemes = security.flatMap((req) => Object.keys(obj(req)));
  if (!schemes.length) return '<span class="auth public">no authentication</span>';
  return schemes
    .map((name) => {
      const scheme = obj(obj(obj(doc.components).securitySchemes)[name]);
      const how = scheme.type === 'http' ? `${String(scheme.scheme)} token` : scheme.type === 'apiKey' ? `${String(scheme.name)} header` : name;
      return `<span class="auth">${esc(how)}</span>`;
    })
    .join(' ');
}

interface Operation {
  method: string;
  path: string;
  op: Json;
  id: string;
}

function operationsOf(doc: Json): Operation[] {
  return Object.entries(obj(doc.paths)).flatMap(([path, item]) =>
    METHODS.filter((m) => obj(item)[m]).map((method) => ({ method, path, op: obj(obj(item)[method]), id: `op-${method}-${anchor(path)}` })),
  );
}

function renderOperation({ method, path, op, id }: Operation, doc: Json): string {
  const params = list(op.parameters).map(obj);
  const paramRows = params
    .map((p) => {
      const schema = obj(p.schema) as Schema;
      return `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${esc(p.in)}</td><td>${typeLabel(schema)}</td><td>${p.description ? `${esc(p.description)}<br>` : ''}${constraints(schema)}</td></tr>`;
    })
    .join('');
  const body = obj(op.requestBody);
  const responses = Object.entries(obj(op.responses))
    .map(([status, raw]) => {
      const r = obj(raw);
      const content = renderContent(r.content, doc);
      const summary = `<span class="status s${esc(status[0])}">${esc(status)}</span> ${esc(r.description ?? '')}`;
      return content ? `<details><summary>${summary}</summary>${content}</details>` : `<p class="nobody">${summary}</p>`;
    })
    .join('');
  return `<section class="op" id="${id}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
${op.summary ? `<p class="summary">${esc(op.summary)}</p>` : ''}${op.description ? `<p>${esc(op.description)}</p>` : ''}
<p>Authentication: ${authLabel(op, doc)}</p>
${paramRows ? `<h4>Parameters</h4><div class="scroll"><table class="fields"><thead><tr><th>name</th><th>in</th><th>type</th><th>notes</th></tr></thead><tbody>${paramRows}</tbody></table></div>` : ''}
${Object.keys(body).length ? `<h4>Request body${body.required ? ' <span class="req">required</span>' : ''}</h4>${renderContent(body.content, doc)}` : ''}
<h4>Responses</h4>${responses}
</section>`;
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;display:flex}
nav{position:sticky;top:0;height:100vh;overflow:auto;width:320px;flex:none;border-right:1px solid #d0d7de;padding:16px;box-sizing:border-box;background:#f6f8fa}
nav a{display:block;color:inherit;text-decoration:none;padding:2px 0;font-size:13px}nav h2{font-size:13px;text-transform:uppercase;color:#59636e;margin:16px 0 4px}
main{padding:24px 40px;max-width:1000px;min-width:0}
.op{border:1px solid #d0d7de;border-radius:8px;padding:4px 20px 12px;margin:20px 0}
.method{display:inline-block;min-width:60px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px;margin-right:6px}
.get{background:#1f6feb}.post{background:#1a7f37}.patch{background:#9a6700}.put{background:#8250df}.delete{background:#cf222e}
table.fields{border-collapse:collapse;width:100%;margin:6px 0;font-size:13px}
table.fields th,table.fields td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
table.fields th{background:#f6f8fa}
.req{color:#cf222e;font-size:11px}.note,.media{color:#59636e;font-size:13px;margin:4px 0}
.auth{background:#eef;border-radius:4px;padding:1px 6px;font-size:13px}.auth.public{background:#efe}
.status{font-weight:600}.s2{color:#1a7f37}.s4{color:#9a6700}.s5{color:#cf222e}
.variant{border-left:3px solid #d0d7de;padding-left:8px;margin:4px 0}
details{margin:4px 0}summary{cursor:pointer}code{font-family:ui-monospace,monospace;font-size:90%;overflow-wrap:anywhere}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
@media (max-width:800px){
body{display:block;font-size:16px}
nav{position:static;height:auto;max-height:40vh;width:auto;border-right:0;border-bottom:1px solid #d0d7de}
main{padding:12px}
.op{padding:4px 10px 10px;margin:12px 0}
h3 code{display:inline-block;margin-top:4px}
table.fields{font-size:13px}
table.fields th,table.fields td{padding:4px}
}
`;

/** The whole reference page for one OpenAPI document. */
export function renderDocs(doc: Json): string {
  const info = obj(doc.info);
  const operations = operationsOf(doc);
  const groups = new Map<string, Operation[]>();
  for (const op of operations) {
    const group = op.path.startsWith('/v1/') ? (op.path.split('/')[2] ?? 'v1') : 'service';
    groups.set(group, [...(groups.get(group) ?? []), op]);
  }
  const schemas = Object.entries(obj(obj(doc.components).schemas));
  const nav = [...groups]
    .map(([group, ops]) => `<h2>${esc(group)}</h2>${ops.map((o) => `<a href="#${o.id}"><b>${o.method.toUpperCase()}</b> ${esc(o.path)}</a>`).join('')}`)
    .join('');
  const sections = [...groups].map(([group, ops]) => `<h2 id="group-${anchor(group)}">${esc(group)}</h2>${ops.map((o) => renderOperation(o, doc)).join('')}`).join('');
  const schemaSections = schemas
    .map(([name, s]) => `<section class="op" id="schema-${anchor(name)}"><h3><code>${esc(name)}</code></h3>${renderSchema(obj(s) as Schema)}</section>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title ?? 'API')} ${esc(info.version ?? '')}</title><style>${STYLE}</style></head>
<body><nav><strong>${esc(info.title ?? 'API')}</strong> <small>${esc(info.version ?? '')}</small>${nav}<h2>schemas</h2>${schemas.map(([n]) => `<a href="#schema-${anchor(n)}">${esc(n)}</a>`).join('')}</nav>
<main><h1>${esc(info.title ?? 'API')} <small>${esc(info.version ?? '')}</small></h1>
<p>${esc(info.description ?? '')}</p>
<p>${operations.length} operations. Machine-readable: <a href="openapi.json"><code>/openapi.json</code></a> (OpenAPI ${esc(doc.openapi ?? '')}). Errors are <code>application/problem+json</code> (RFC 9457).</p>
${sections}<h2 id="schemas">Schemas</h2>${schemaSections}</main></body></html>`;
}
