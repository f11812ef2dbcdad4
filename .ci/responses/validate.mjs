// The service's real answers against its OpenAPI document, with ajv (JSON
// Schema 2020-12).
//
//   node validate.mjs BASE_URL ADMIN_TOKEN OPENAPI_JSON
//
// A fixed list of requests, in order, creates what it needs through the API
// (categories, an area, documents, articles citing them, comments, a rating,
// an attachment, a user, an API key, a webhook) and calls every operation of
// the document at least once, on success and on error paths. Each answer:
//   - its status must be documented (or a `default`);
//   - a documented JSON body (application/json, application/problem+json,
//     any +json) must parse and be valid against the documented schema;
//   - any other body must come with a documented content type, and a
//     response documented without content must have no body;
//   - the headers the document marks `required` must be there;
// and every successful GET that sends an ETag is asked again with
// If-None-Match. Every request asks for problems in PROBLEM_LANGUAGE (`en`
// by default, or `vi`): a problem must say that language in
// `Content-Language`, and in Vietnamese every `detail` and
// `errors[].message` must be (a text with no letter beyond ASCII is one the
// service left in English). Then every operationId must have been called. A status
// other than the one this script meant to get is reported too (the request
// list is wrong, or the service changed), as are answers that cannot be
// read. Exits 1 on any failure.
//
// ajv and ajv-formats come from .ci/.cache/node (VALIDATE_NODE_DIR to use
// another directory), where .ci/validate-responses installs them.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeDir = path.resolve(process.env.VALIDATE_NODE_DIR ?? path.join(here, '..', '.cache', 'node'));
const require = createRequire(path.join(nodeDir, 'package.json'));
const Ajv2020 = require('ajv/dist/2020.js').default;
const addFormatsModule = require('ajv-formats');
const addFormats = addFormatsModule.default ?? addFormatsModule;

const [base, adminToken, docPath] = process.argv.slice(2);
const verbose = process.env.VALIDATE_VERBOSE === '1';
const language = process.env.PROBLEM_LANGUAGE ?? 'en';
if (!base || !adminToken || !docPath) {
    console.error('usage: node validate.mjs BASE_URL ADMIN_TOKEN OPENAPI_JSON');
    process.exit(2);
}
const doc = JSON.parse(readFileSync(docPath, 'utf8'));

// ---------------------------------------------------------------- the document

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const DOC_ID = 'urn:bulletin-api:openapi';
const isJson = (mediaType) => /^application\/(.+\+)?json$/i.test(mediaType) || /\+json$/i.test(mediaType);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The whole document under an $id, so `#/components/schemas/X` resolves from
// inside it; it is no JSON Schema itself, so it is not checked against the
// meta-schema. A schema taken out of it has its local refs pointed there.
ajv.addSchema({ ...doc, $id: DOC_ID }, undefined, undefined, false);
const inDocument = (schema) => JSON.parse(JSON.stringify(schema),
    (key, value) => (key === '$ref' && typeof value === 'string' && value.startsWith('#') ? DOC_ID + value : value));

const operations = new Map(); // "GET /api/v1/x/{id}" -> { id, method, template, op }
const failures = [];
let compiled = 0;
for (const [template, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const entry = { id: op.operationId ?? `${method.toUpperCase()} ${template}`, method, template, op, validators: {} };
        operations.set(`${method.toUpperCase()} ${template}`, entry);
        for (const [status, response] of Object.entries(op.responses ?? {})) {
            const resolved = deref(response);
            for (const [mediaType, media] of Object.entries(resolved.content ?? {})) {
                if (!isJson(mediaType) || !media.schema) continue;
                try {
                    entry.validators[`${status} ${mediaType.toLowerCase()}`] = ajv.compile(inDocument(media.schema));
                    compiled++;
                } catch (error) {
                    failures.push({ kind: 'schema', op: entry.id, status, label: `${status} ${mediaType}`, message: `the schema does not compile: ${error.message}` });
                }
            }
        }
    }
}

function deref(object) {
    // A response or header given as a `$ref` to components.
    let seen = 0;
    while (object && typeof object.$ref === 'string' && object.$ref.startsWith('#/') && seen++ < 10) {
        object = object.$ref.slice(2).split('/')
            .map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'))
            .reduce((node, key) => node?.[key], doc);
    }
    return object ?? {};
}

// ---------------------------------------------------------------- requests

const exercised = new Map(); // operationId -> count
let requests = 0;

/**
 * One request, checked against the document.
 *   method, template: the documented operation (`/api/v1/articles/{key}`)
 *   params: path parameters; query: an object or a string (`a=1&b=2`)
 *   auth: 'admin' (default), null (none), { bearer }, { apiKey }
 *   json: a body sent as application/json; body + contentType: any other body
 *   expect: the status (or statuses) this request is meant to get
 *   revalidate: false to not repeat a GET with If-None-Match
 */
async function call(method, template, opts = {}) {
    const key = `${method.toUpperCase()} ${template}`;
    const entry = operations.get(key);
    if (!entry) throw new Error(`the script calls ${key}, which the document does not have`);
    const { params = {}, query, auth = 'admin', json, expect, note } = opts;
    let url = base + template.replace(/\{([^}]+)\}/g, (_, name) => {
        if (!(name in params)) throw new Error(`${key}: no value for {${name}}`);
        return encodeURIComponent(String(params[name]));
    });
    if (query !== undefined) {
        const q = typeof query === 'string' ? query : new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
        if (q) url += `?${q}`;
    }
    const headers = { 'Accept-Language': language, ...(opts.headers ?? {}) };
    if (auth === 'admin') headers.Authorization = `Bearer ${adminToken}`;
    else if (auth?.bearer) headers.Authorization = `Bearer ${auth.bearer}`;
    else if (auth?.apiKey) headers['X-Api-Key'] = auth.apiKey;
    let body = opts.body;
    if (json !== undefined) {
        body = JSON.stringify(json);
        headers['Content-Type'] = 'application/json';
    } else if (opts.contentType) {
        headers['Content-Type'] = opts.contentType;
    }

    const label = `${method.toUpperCase()} ${url.slice(base.length)}${note ? ` (${note})` : ''}`;
    let response, bytes;
    try {
        response = await fetch(url, { method: method.toUpperCase(), headers, body, redirect: 'manual' });
        bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
        failures.push({ kind: 'request', op: entry.id, label, message: `the request failed: ${error.cause?.message ?? error.message}` });
        exercised.set(entry.id, (exercised.get(entry.id) ?? 0) + 1);
        return { status: 0, headers: new Headers(), json: undefined, text: '' };
    }
    requests++;
    exercised.set(entry.id, (exercised.get(entry.id) ?? 0) + 1);
    const text = bytes.toString('utf8');
    const result = { status: response.status, headers: response.headers, text, bytes, json: undefined };
    const problems = check(entry, response, bytes, text, result);

    const expected = expect === undefined ? null : [].concat(expect);
    if (expected && !expected.includes(response.status)) {
        failures.push({ kind: 'unexpected', op: entry.id, status: response.status, label, message: `${response.status}, meant to get ${expected.join(' or ')}`, detail: snippet(text) });
    }
    for (const problem of problems) {
        failures.push({ kind: problem.kind, op: entry.id, status: response.status, label, message: problem.message, detail: problem.detail });
    }
    if (verbose || problems.length) {
        console.log(`${problems.length ? 'FAIL' : 'ok  '} ${String(response.status).padEnd(3)} ${entry.id.padEnd(36)} ${label}`);
    }

    // Every successful GET with an ETag, asked again: 304 (or 200 for what changes between two reads).
    const etag = response.headers.get('etag');
    if (method.toLowerCase() === 'get' && response.status === 200 && etag && opts.revalidate !== false) {
        await call(method, template, {
            params, query, auth, headers: { ...(opts.headers ?? {}), 'If-None-Match': etag },
            expect: [304, 200], revalidate: false, note: 'If-None-Match',
        });
    }
    return result;
}

/// What is wrong with the language of a problem (`json`) answered to a
/// request for `language`.
function languageProblems(response, json) {
    const problems = [];
    const said = response.headers.get('content-language');
    if (said !== language) {
        problems.push({ kind: 'language', message: `a problem in ${said ?? 'no stated language'}, asked in ${language}` });
    }
    if (language === 'vi' && json) {
        const texts = [json.detail, ...(json.errors ?? []).map((error) => error.message)];
        for (const text of texts.filter((text) => /^[\x00-\x7f]*$/.test(text ?? ''))) {
            problems.push({ kind: 'language', message: `left in English: ${JSON.stringify(text)}` });
        }
    }
    return problems;
}

function check(entry, response, bytes, text, result) {
    const problems = [];
    const status = String(response.status);
    const responses = entry.op.responses ?? {};
    const documentedKey = status in responses ? status
        : `${status[0]}XX` in responses ? `${status[0]}XX`
        : 'default' in responses ? 'default' : null;
    const contentType = response.headers.get('content-type') ?? '';
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    if (isJson(mediaType)) {
        try { result.json = JSON.parse(text); } catch { /* reported below when JSON is documented */ }
    }
    if (mediaType === 'application/problem+json') {
        problems.push(...languageProblems(response, result.json));
    }
    if (documentedKey === null) {
        problems.push({ kind: 'status', message: `status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`, detail: bytes.length ? snippet(text) : undefined });
        return problems;
    }
    const documented = deref(responses[documentedKey]);
    const content = documented.content ?? {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
        if (bytes.length > 0) {
            problems.push({ kind: 'content-type', message: `${documentedKey} is documented without a body, answered ${bytes.length} bytes of ${contentType || 'no content type'}`, detail: snippet(text) });
        }
    } else if (response.status !== 304) {
        const match = mediaTypes.find((m) => m.toLowerCase() === mediaType)
            ?? mediaTypes.find((m) => m.endsWith('/*') && mediaType.startsWith(m.slice(0, -1).toLowerCase()))
            ?? mediaTypes.find((m) => m === '*/*');
        if (!match) {
            problems.push({ kind: 'content-type', message: `content type ${contentType || '(none)'} is not documented for ${documentedKey} (documented: ${mediaTypes.join(', ')})`, detail: snippet(text) });
        } else if (isJson(match)) {
            const validate = entry.validators[`${documentedKey} ${match.toLowerCase()}`];
            if (result.json === undefined) {
                problems.push({ kind: 'body', message: `the body of ${documentedKey} ${match} is not JSON`, detail: snippet(text) });
            } else if (!validate) {
                if (content[match].schema) problems.push({ kind: 'schema', message: `no validator for ${documentedKey} ${match}` });
            } else if (!validate(result.json)) {
                // Item indexes left out, so the same mismatch in many items (or answers) is reported once.
                const errors = [...new Set(validate.errors.map((e) => `    ${(e.instancePath || '(root)').replace(/\/\d+(?=\/|$)/g, '/*')} ${e.message}`
                    + `${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''} [${e.schemaPath.replace(/^[^#]*#/, '')}]`))];
                problems.push({ kind: 'body', message: `the body does not match the schema of ${documentedKey} ${match}:\n${errors.join('\n')}`, detail: snippet(text) });
            }
        }
    }
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
        const h = deref(header);
        const value = response.headers.get(name);
        if (value === null) {
            if (h.required) problems.push({ kind: 'header', message: `the required header ${name} is missing` });
            continue;
        }
        if (h.schema) {
            const validate = ajv.compile(inDocument(h.schema));
            const typed = h.schema.type === 'integer' || h.schema.type === 'number' ? Number(value) : value;
            if (!validate(typed)) problems.push({ kind: 'header', message: `header ${name}: ${JSON.stringify(value)} ${ajv.errorsText(validate.errors)}` });
        }
    }
    return problems;
}

function snippet(text) {
    const flat = text.replace(/\s+/g, ' ');
    return flat.length > 400 ? `body: ${flat.slice(0, 400)}…` : `body: ${flat || '(empty)'}`;
}

// ---------------------------------------------------------------- the data

const day = 24 * 3600 * 1000;
const now = Date.now();
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const date = (ms) => new Date(ms).toISOString().slice(0, 10);
// A one-page PDF, the smallest a PDF reader opens.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
// A PNG of `width` × `height` pixels (a gradient), made here: chunks each
// with a CRC-32 around zlib data are all a PNG is.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
const crc32 = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
};
const pngChunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
};
const png = (width, height) => {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = 8; // bits per channel
    header[9] = 2; // RGB
    const rows = Buffer.alloc((width * 3 + 1) * height);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) rows.set([x % 256, y % 256, 160], y * (width * 3 + 1) + 1 + x * 3);
    }
    return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(rows)), pngChunk('IEND', Buffer.alloc(0))]);
};

const need = (result, what) => {
    if (result.json === undefined || result.json === null) {
        throw new Error(`cannot go on: ${what} answered ${result.status} ${snippet(result.text)}`);
    }
    return result.json;
};

async function run() {
    // The service itself and the document.
    await call('get', '/healthz', { auth: null, expect: 200 });
    await call('get', '/readyz', { auth: null, expect: 200 });
    await call('get', '/metrics', { auth: null, expect: 200 });
    await call('get', '/api/v1/openapi.json', { auth: null, expect: 200 });
    await call('get', '/api/v1/openapi.json', { auth: null, query: 'bust=1', expect: 422 });

    // Sessions: a second one of the admin, refreshed and ended; wrong credentials.
    const login = need(await call('post', '/api/v1/auth/login', { auth: null, json: { email: 'admin@example.vn', password: 'một mật khẩu dài' }, expect: 200 }), 'login');
    await call('post', '/api/v1/auth/login', { auth: null, json: { email: 'admin@example.vn', password: 'not the password' }, expect: 401 });
    await call('post', '/api/v1/auth/login', { auth: null, json: { email: 'admin@example.vn' }, expect: 422 });
    await call('post', '/api/v1/auth/login', { auth: null, body: '{"email": ', contentType: 'application/json', expect: 400 });
    await call('post', '/api/v1/auth/login', { auth: null, body: 'email=a', contentType: 'application/x-www-form-urlencoded', expect: 415 });
    const refreshed = need(await call('post', '/api/v1/auth/refresh', { auth: null, json: { refresh_token: login.refresh_token }, expect: 200 }), 'refresh');
    await call('post', '/api/v1/auth/refresh', { auth: null, json: { refresh_token: 'not-a-refresh-token' }, expect: 401 });
    // A browser's login: the refresh token in a cookie, refreshed with its CSRF token.
    const browser = await call('post', '/api/v1/auth/login', { auth: null, json: { email: 'admin@example.vn', password: 'một mật khẩu dài', refresh_cookie: true }, expect: 200 });
    const cookie = (browser.headers?.get('set-cookie') ?? '').split(';')[0];
    await call('post', '/api/v1/auth/refresh', { auth: null, json: {}, headers: { Cookie: cookie }, expect: 403 });
    await call('post', '/api/v1/auth/refresh', { auth: null, json: {}, headers: { Cookie: cookie, 'X-CSRF-Token': browser.json?.csrf_token ?? '' }, expect: 200 });
    await call('post', '/api/v1/auth/refresh', { auth: null, json: {}, expect: 401 });
    await call('get', '/api/v1/auth/me', { expect: 200 });
    await call('get', '/api/v1/auth/me', { auth: null, expect: 401 });
    await call('get', '/api/v1/auth/me', { auth: { bearer: 'not.a.token' }, expect: 401 });
    await call('post', '/api/v1/auth/logout', { auth: { bearer: refreshed.access_token }, expect: 204 });
    await call('post', '/api/v1/auth/logout', { auth: null, expect: 401 });

    // Users: an author (for 403s), a member to delete; registration is off by default.
    const author = need(await call('post', '/api/v1/users', { json: { email: 'tac.gia@example.vn', password: 'mật khẩu của tác giả', role: 'author', display_name: 'Nguyễn Văn Tác' }, expect: 201 }), 'create_user');
    await call('post', '/api/v1/users', { json: { email: 'tac.gia@example.vn', password: 'mật khẩu của tác giả', role: 'author', display_name: 'Trùng' }, expect: 409 });
    await call('post', '/api/v1/users', { json: { email: 'not an address', password: 'x', role: 'author', display_name: '' }, expect: 422 });
    const member = need(await call('post', '/api/v1/users', { json: { email: 'ban.doc@example.vn', password: 'mật khẩu của bạn đọc', role: 'member', display_name: 'Trần Thị Bạn Đọc' }, expect: 201 }), 'create_user');
    await call('post', '/api/v1/users/register', { auth: null, json: { email: 'dang.ky@example.vn', password: 'mật khẩu tự đăng ký', display_name: 'Lê Đăng Ký' }, expect: 403 });
    const authorLogin = need(await call('post', '/api/v1/auth/login', { auth: null, json: { email: 'tac.gia@example.vn', password: 'mật khẩu của tác giả' }, expect: 200 }), 'login as author');
    const asAuthor = { bearer: authorLogin.access_token };
    await call('get', '/api/v1/users', { expect: 200 });
    await call('get', '/api/v1/users', { query: { role: 'author', q: 'tác' }, expect: 200 });
    await call('get', '/api/v1/auth/me', { auth: asAuthor, expect: 200 });
    await call('get', '/api/v1/users', { auth: asAuthor, expect: 403 });
    await call('get', '/api/v1/users', { auth: null, expect: 401 });
    await call('get', '/api/v1/users', { query: { limit: 101 }, expect: 422 });
    await call('get', '/api/v1/users/{id}', { params: { id: author.id }, expect: 200 });
    await call('get', '/api/v1/users/{id}', { params: { id: 999999 }, expect: 404 });
    await call('patch', '/api/v1/users/{id}', { params: { id: author.id }, json: { display_name: 'Nguyễn Văn Tác Giả' }, expect: 200 });
    await call('patch', '/api/v1/users/{id}', { params: { id: author.id }, headers: { 'If-Match': '"user-0-v0"' }, json: { display_name: 'Cũ' }, expect: 412 });
    await call('patch', '/api/v1/users/{id}', { params: { id: author.id }, json: { role: 'emperor' }, expect: 422 });

    // API keys.
    const writeKey = need(await call('post', '/api/v1/api-keys', { json: { name: 'Cổng thông tin huyện', scope: 'write' }, expect: 201 }), 'create_api_key');
    const readKey = need(await call('post', '/api/v1/api-keys', { json: { name: 'Ứng dụng đọc tin', scope: 'read' }, expect: 201 }), 'create_api_key');
    await call('post', '/api/v1/api-keys', { json: { name: 'sai', scope: 'everything' }, expect: 422 });
    await call('post', '/api/v1/api-keys', { auth: asAuthor, json: { name: 'không được', scope: 'read' }, expect: 403 });
    await call('get', '/api/v1/api-keys', { expect: 200 });

    // Categories: a parent and a child, a second child to delete.
    await call('get', '/api/v1/categories', { auth: null, expect: 200 });
    const parent = need(await call('post', '/api/v1/categories', { json: { name: 'Chuyển đổi số', slug: 'chuyen-doi-so' }, expect: 201 }), 'create_category');
    const child = need(await call('post', '/api/v1/categories', { json: { name: 'Dịch vụ công trực tuyến', parent_id: parent.id }, expect: 201 }), 'create_category');
    const doomedCategory = need(await call('post', '/api/v1/categories', { auth: { apiKey: writeKey.key }, json: { name: 'Chuyên mục tạm', parent_id: parent.id }, expect: 201 }), 'create_category');
    await call('post', '/api/v1/categories', { json: { name: 'Chuyển đổi số (trùng)', slug: 'chuyen-doi-so' }, expect: 409 });
    // A slug names a category within its language.
    await call('post', '/api/v1/categories', { json: { name: 'Digital transformation', slug: 'chuyen-doi-so', lang: 'en' }, expect: 201 });
    await call('post', '/api/v1/categories', { json: { name: 'Sai ngôn ngữ', lang: 'tiếng việt' }, expect: 422 });
    await call('get', '/api/v1/categories', { auth: null, query: { lang: 'en' }, expect: 200 });
    await call('get', '/api/v1/categories', { auth: null, query: { lang: 'v' }, expect: 422 });
    await call('get', '/api/v1/categories/{key}', { auth: null, params: { key: 'chuyen-doi-so' }, query: { lang: 'en' }, expect: 200 });
    await call('get', '/api/v1/categories/{key}', { auth: null, params: { key: 'chuyen-doi-so' }, query: { lang: 'fr' }, expect: 404 });
    await call('post', '/api/v1/categories', { json: { name: '' }, expect: 422 });
    await call('post', '/api/v1/categories', { auth: null, json: { name: 'Không có quyền' }, expect: 401 });
    await call('post', '/api/v1/categories', { auth: { apiKey: readKey.key }, json: { name: 'Khóa chỉ đọc' }, expect: 403 });
    await call('get', '/api/v1/categories', { auth: null, query: { limit: 2, page: 2 }, expect: 200 });
    await call('get', '/api/v1/categories/{key}', { auth: null, params: { key: child.slug }, expect: 200 });
    await call('get', '/api/v1/categories/{key}', { auth: null, params: { key: parent.id }, expect: 200 });
    await call('get', '/api/v1/categories/{key}', { auth: null, params: { key: 'khong-co-chuyen-muc-nay' }, expect: 404 });
    // PATCH and DELETE take the numeric id only (GET takes a slug too).
    await call('patch', '/api/v1/categories/{key}', { params: { key: child.id }, json: { name: 'Dịch vụ công trực tuyến mức độ 4' }, expect: 200 });
    await call('patch', '/api/v1/categories/{key}', { params: { key: child.id }, headers: { 'If-Match': `"category-${child.id}-v${child.version}"` }, json: { name: 'Cũ' }, expect: 412 });
    await call('patch', '/api/v1/categories/{key}', { params: { key: child.id }, json: { parent_id: child.id }, expect: 409 });
    await call('patch', '/api/v1/categories/{key}', { params: { key: 999999 }, json: { name: 'Không có' }, expect: 404 });
    await call('patch', '/api/v1/categories/{key}', { auth: asAuthor, params: { key: child.id }, json: { name: 'Tác giả đổi' }, expect: 403 });
    await call('delete', '/api/v1/categories/{key}', { params: { key: parent.id }, expect: 409 });
    await call('delete', '/api/v1/categories/{key}', { params: { key: doomedCategory.id }, expect: 204 });
    await call('delete', '/api/v1/categories/{key}', { params: { key: doomedCategory.id }, expect: 404 });

    // Areas.
    await call('get', '/api/v1/areas', { auth: null, expect: 200 });
    const area = need(await call('post', '/api/v1/areas', { json: { name: 'Cải cách thủ tục hành chính' }, expect: 201 }), 'create_area');
    const doomedArea = need(await call('post', '/api/v1/areas', { json: { name: 'Lĩnh vực tạm', parent_id: area.id }, expect: 201 }), 'create_area');
    await call('post', '/api/v1/areas', { json: { name: '' }, expect: 422 });
    await call('post', '/api/v1/areas', { auth: null, json: { name: 'Không đăng nhập' }, expect: 401 });
    await call('post', '/api/v1/areas', { json: { name: 'Không cha', parent_id: 999999 }, expect: 404 });
    await call('get', '/api/v1/areas', { auth: null, query: { limit: 10, page: 1 }, expect: 200 });
    await call('delete', '/api/v1/areas/{id}', { params: { id: doomedArea.id }, expect: 204 });
    await call('delete', '/api/v1/areas/{id}', { params: { id: doomedArea.id }, expect: 404 });

    // Static pages: an about page in two languages, a draft, one to delete.
    await call('get', '/api/v1/pages', { auth: null, expect: 200 });
    const about = need(await call('post', '/api/v1/pages', { json: { title: 'Giới thiệu', body_html: '<p>Sở Nội vụ tỉnh Bình Định.</p><script>alert(1)</script>', position: 1, published: true }, expect: 201 }), 'create_page');
    await call('post', '/api/v1/pages', { auth: { apiKey: writeKey.key }, json: { title: 'About us', slug: about.slug, lang: 'en', published: true }, expect: 201 });
    const orgChart = need(await call('post', '/api/v1/pages', { json: { title: 'Sơ đồ tổ chức', position: 2 }, expect: 201 }), 'create_page');
    const doomedPage = need(await call('post', '/api/v1/pages', { json: { title: 'Trang tạm' }, expect: 201 }), 'create_page');
    await call('post', '/api/v1/pages', { json: { title: 'Giới thiệu (trùng)', slug: about.slug }, expect: 409 });
    await call('post', '/api/v1/pages', { json: { title: '' }, expect: 422 });
    await call('post', '/api/v1/pages', { json: { title: 'Sai ngôn ngữ', lang: 'tiếng việt' }, expect: 422 });
    await call('post', '/api/v1/pages', { auth: null, json: { title: 'Không đăng nhập' }, expect: 401 });
    await call('post', '/api/v1/pages', { auth: asAuthor, json: { title: 'Tác giả' }, expect: 403 });
    await call('post', '/api/v1/pages', { auth: { apiKey: readKey.key }, json: { title: 'Khóa chỉ đọc' }, expect: 403 });
    await call('get', '/api/v1/pages', { auth: null, query: { lang: 'en', limit: 10, page: 1 }, expect: 200 });
    const firstPages = need(await call('get', '/api/v1/pages', { query: { limit: 1 }, expect: 200 }), 'list_pages');
    if (firstPages.next_cursor) await call('get', '/api/v1/pages', { query: { limit: 1, cursor: firstPages.next_cursor }, expect: 200 });
    await call('get', '/api/v1/pages', { auth: null, query: { lang: 'tiếng việt' }, expect: 422 });
    await call('get', '/api/v1/pages/{key}', { auth: null, params: { key: about.slug }, expect: 200 });
    await call('get', '/api/v1/pages/{key}', { auth: null, params: { key: about.slug }, query: { lang: 'en' }, expect: 200 });
    await call('get', '/api/v1/pages/{key}', { auth: null, params: { key: about.id }, expect: 200 });
    await call('get', '/api/v1/pages/{key}', { auth: null, params: { key: orgChart.slug }, expect: 404 });
    await call('get', '/api/v1/pages/{key}', { params: { key: orgChart.slug }, expect: 200 });
    await call('get', '/api/v1/pages/{key}', { auth: null, params: { key: about.slug }, query: { lang: 'fr' }, expect: 404 });
    // PATCH and DELETE take the numeric id only (GET takes a slug too).
    await call('patch', '/api/v1/pages/{key}', { params: { key: orgChart.id }, json: { published: true, position: 3 }, expect: 200 });
    await call('patch', '/api/v1/pages/{key}', { params: { key: orgChart.id }, headers: { 'If-Match': `"page-${orgChart.id}-v${orgChart.version}"` }, json: { title: 'Cũ' }, expect: 412 });
    await call('patch', '/api/v1/pages/{key}', { params: { key: orgChart.id }, json: { slug: about.slug }, expect: 409 });
    await call('patch', '/api/v1/pages/{key}', { params: { key: orgChart.id }, json: { lang: 'v' }, expect: 422 });
    await call('patch', '/api/v1/pages/{key}', { params: { key: 999999 }, json: { title: 'Không có' }, expect: 404 });
    await call('patch', '/api/v1/pages/{key}', { auth: asAuthor, params: { key: orgChart.id }, json: { title: 'Tác giả đổi' }, expect: 403 });
    await call('delete', '/api/v1/pages/{key}', { auth: null, params: { key: doomedPage.id }, expect: 401 });
    await call('delete', '/api/v1/pages/{key}', { params: { key: doomedPage.id }, headers: { 'If-Match': `"page-${doomedPage.id}-v999"` }, expect: 412 });
    await call('delete', '/api/v1/pages/{key}', { params: { key: doomedPage.id }, expect: 204 });
    await call('delete', '/api/v1/pages/{key}', { params: { key: doomedPage.id }, expect: 404 });

    // Documents: one in force, a draft open for consultation, one to delete.
    const demoDocuments = need(await call('get', '/api/v1/documents', { auth: null, query: { number: '5359/QĐ-UBND' }, expect: 200 }), 'list_documents');
    await call('get', '/api/v1/documents', { auth: null, query: { lang: 'vi' }, expect: 200 });
    await call('get', '/api/v1/documents', { auth: null, query: { lang: 'v' }, expect: 422 });
    const cited = demoDocuments.items?.[0];
    if (!cited) throw new Error('the demo document 5359/QĐ-UBND is not in the registry');
    const decision = need(await call('post', '/api/v1/documents', {
        json: {
            number: '4512/QĐ-UBND', title: 'Về việc công bố danh mục thủ tục hành chính được thực hiện trực tuyến toàn trình',
            issuing_body: 'UBND tỉnh Bình Định', kind: 'decision', issued_on: '2024-03-05', effective_on: '2024-03-05',
            signer: 'Nguyễn Tự Công Hoàng', area_ids: [area.id], related: { implements: [cited.id] },
        },
        expect: 201,
    }), 'create_document');
    const draft = need(await call('post', '/api/v1/documents', {
        json: {
            number: '88/KH-UBND', title: 'Dự thảo Kế hoạch chuyển đổi số năm 2025', issuing_body: 'UBND tỉnh Bình Định',
            draft: true, consultation_from: iso(now - day), consultation_to: iso(now + 30 * day),
        },
        expect: 201,
    }), 'create_document');
    const doomedDocument = need(await call('post', '/api/v1/documents', {
        auth: { apiKey: writeKey.key },
        json: { number: '1234/UBND-KT', title: 'Về việc góp ý dự thảo', issuing_body: 'UBND tỉnh Bình Định', issued_on: date(now - 10 * day) },
        expect: 201,
    }), 'create_document');
    await call('post', '/api/v1/documents', { json: { number: '4512/qđ - ubnd', title: 'Trùng số', issuing_body: 'UBND tỉnh Bình Định' }, expect: 409 });
    await call('post', '/api/v1/documents', { json: { number: 'không phải số hiệu', title: 'Sai số', issuing_body: 'UBND tỉnh Bình Định' }, expect: 422 });
    await call('post', '/api/v1/documents', { json: { number: '77/QĐ-UBND', title: 'Sai ngày', issuing_body: 'UBND tỉnh Bình Định', issued_on: '24-03-05' }, expect: 422 });
    await call('get', '/api/v1/documents', { auth: null, expect: 200 });
    await call('get', '/api/v1/documents', { auth: null, query: { q: 'thủ tục hành chính', kind: 'decision', issuer_code: 'UBND', year: 2024, status: 'in_force', area: area.id, on: date(now) }, expect: 200 });
    await call('get', '/api/v1/documents', { auth: null, query: { status: 'draft' }, expect: 200 });
    await call('get', '/api/v1/documents', { auth: null, query: { status: 'not_yet_in_force', on: '2024-01-01' }, expect: 200 });
    await call('get', '/api/v1/documents', { auth: null, query: { status: 'expired', on: '2031-06-01' }, expect: 200 });
    await call('get', '/api/v1/documents', { auth: null, query: { kind: 'edict' }, expect: 422 });
    await call('get', '/api/v1/documents/{id}', { auth: null, params: { id: decision.id }, expect: 200 });
    await call('get', '/api/v1/documents/{id}', { auth: null, params: { id: cited.id }, query: { on: '2020-01-01' }, expect: 200 });
    await call('get', '/api/v1/documents/{id}', { auth: null, params: { id: draft.id }, expect: 200 });
    await call('get', '/api/v1/documents/{id}', { auth: null, params: { id: 999999 }, expect: 404 });
    await call('get', '/api/v1/documents/{id}', { auth: null, params: { id: 'abc' }, expect: 404 });
    await call('patch', '/api/v1/documents/{id}', { params: { id: decision.id }, json: { signer: 'Nguyễn Tuấn Thanh', expires_on: '2030-12-31', version: decision.version }, expect: 200 });
    await call('patch', '/api/v1/documents/{id}', { params: { id: decision.id }, json: { title: 'Cũ', version: decision.version }, expect: 412 });
    await call('patch', '/api/v1/documents/{id}', { auth: { apiKey: writeKey.key }, params: { id: doomedDocument.id }, json: { related: { supersedes: [demoDocuments.items[0].id], amends: [decision.id] } }, expect: 200 });
    await call('get', '/api/v1/documents/{id}', { auth: null, params: { id: cited.id }, expect: 200 });
    await call('patch', '/api/v1/documents/{id}', { params: { id: decision.id }, json: { effective_on: '2024-03-05', expires_on: '2020-01-01' }, expect: 409 });
    await call('post', '/api/v1/documents/extract', {
        auth: null,
        json: { text: 'Thực hiện Quyết định số 5359/QĐ-UBND ngày 31/12/2021 của UBND tỉnh và Kế hoạch số 24/KH-UBND, Công văn 1234/UBND-KT; Nghị định 30/2020/NĐ-CP và 19-NQ/TW.' },
        expect: 200,
    });
    await call('post', '/api/v1/documents/extract', { auth: null, json: { body: 'sai tên trường' }, expect: 422 });
    await call('post', '/api/v1/documents/extract', { auth: null, json: { text: 'Quyết định '.repeat(110000) }, expect: 413 });

    // Attachments of the decision: a PDF, a file of no accepted type.
    const upload = (id, bytes, type, name, expect, auth = 'admin') => {
        const form = new FormData();
        form.append('file', new Blob([bytes], { type }), name);
        return call('post', '/api/v1/documents/{id}/attachments', { params: { id }, body: form, auth, expect });
    };
    const attachment = need(await upload(decision.id, PDF, 'application/pdf', 'Quyết định 4512-QĐ-UBND.pdf', 201), 'upload_attachment');
    await upload(decision.id, Buffer.from('chỉ là văn bản'), 'text/plain', 'ghi-chu.txt', 415);
    await upload(decision.id, PDF, 'application/pdf', '..', 422);
    await upload(999999, PDF, 'application/pdf', 'a.pdf', 404);
    await upload(decision.id, PDF, 'application/pdf', 'a.pdf', 401, null);
    await call('post', '/api/v1/documents/{id}/attachments', { params: { id: decision.id }, json: { file: 'not multipart' }, expect: 400 });
    const file = { id: decision.id, attachment_id: attachment.id };
    await call('get', '/api/v1/documents/{id}/attachments/{attachment_id}', { auth: null, params: file, expect: 200 });
    await call('get', '/api/v1/documents/{id}/attachments/{attachment_id}', { auth: null, params: file, headers: { Range: 'bytes=0-3' }, expect: 206 });
    await call('get', '/api/v1/documents/{id}/attachments/{attachment_id}', { auth: null, params: file, headers: { Range: 'bytes=100000-' }, expect: 416 });
    await call('get', '/api/v1/documents/{id}/attachments/{attachment_id}', { auth: null, params: file, headers: { 'If-Match': '"another-version"' }, expect: 412 });
    await call('get', '/api/v1/documents/{id}/attachments/{attachment_id}', { auth: null, params: { id: decision.id, attachment_id: 999999 }, expect: 404 });
    const second = need(await upload(decision.id, PDF, 'application/pdf', 'Bản sao.pdf', 201), 'upload_attachment');
    await call('delete', '/api/v1/documents/{id}/attachments/{attachment_id}', { params: { id: decision.id, attachment_id: second.id }, expect: 204 });
    await call('delete', '/api/v1/documents/{id}/attachments/{attachment_id}', { params: { id: decision.id, attachment_id: second.id }, expect: 404 });
    await call('delete', '/api/v1/documents/{id}/attachments/{attachment_id}', { auth: asAuthor, params: file, expect: 403 });


    // Images: a PNG made here, its variants and its bytes; uploads refused by
    // role, type, shape and texts; its texts changed; one removed.
    const uploadImage = (bytes, name, expect, auth = 'admin', texts = {}) => {
        const form = new FormData();
        form.append('file', new Blob([bytes], { type: 'image/png' }), name);
        for (const [field, value] of Object.entries(texts)) form.append(field, value);
        return call('post', '/api/v1/media', { body: form, auth, expect });
    };
    const picture = need(await uploadImage(png(400, 300), 'hoi-nghi.png', 201, 'admin',
        { alt: 'Đại biểu dự hội nghị cải cách hành chính', caption: 'Toàn cảnh hội nghị', credit: 'Ảnh: Văn phòng Sở' }), 'upload_image');
    const authorsPicture = need(await uploadImage(png(40, 30), 'nho.png', 201, asAuthor), 'upload_image');
    await uploadImage(Buffer.from('chỉ là văn bản, không phải ảnh'), 'anh.jpg', 415);
    await uploadImage(png(400, 300).subarray(0, 200), 'cut.png', 422);
    await uploadImage(png(40, 30), 'a.png', 422, 'admin', { alt: 'x'.repeat(301) });
    await uploadImage(png(40, 30), 'a.png', 422, 'admin', { note: 'ghi chú' });
    await uploadImage(png(40, 30), 'a.png', 401, null);
    await uploadImage(png(40, 30), 'a.png', 403, { apiKey: readKey.key });
    await call('post', '/api/v1/media', { json: { file: 'not multipart' }, expect: 400 });
    await call('get', '/api/v1/media', { expect: 200 });
    await call('get', '/api/v1/media', { auth: asAuthor, query: { limit: 101 }, expect: 422 });
    await call('get', '/api/v1/media', { auth: null, expect: 401 });
    await call('get', '/api/v1/media/{id}', { auth: { apiKey: readKey.key }, params: { id: picture.id }, expect: 200 });
    await call('get', '/api/v1/media/{id}', { params: { id: 999999 }, expect: 404 });
    await call('get', '/api/v1/media/{id}', { auth: null, params: { id: picture.id }, expect: 401 });
    // The bytes, by the digest-named URLs an image answers: for anyone shown them.
    const fileOf = (url) => { const [, digest, ext] = url.match(/files\/([0-9a-f]{64})\.(\w+)$/); return { digest, ext }; };
    await call('get', '/api/v1/media/files/{digest}.{ext}', { auth: null, params: fileOf(picture.url), expect: 200 });
    await call('get', '/api/v1/media/files/{digest}.{ext}', { auth: null, params: fileOf(picture.url), headers: { Range: 'bytes=0-7' }, expect: 206 });
    await call('get', '/api/v1/media/files/{digest}.{ext}', { auth: null, params: fileOf(picture.url), headers: { Range: 'bytes=99999999-' }, expect: 416 });
    await call('get', '/api/v1/media/files/{digest}.{ext}', { auth: null, params: { digest: '0'.repeat(64), ext: 'png' }, expect: 404 });
    const webp = picture.variants.find((variant) => variant.content_type === 'image/webp');
    await call('get', '/api/v1/media/files/{digest}.{ext}', { auth: null, params: fileOf(webp.url), expect: 200 });
    await call('get', '/api/v1/media/files/{digest}.{ext}', { auth: null, params: { ...fileOf(webp.url), ext: 'jpg' }, expect: 404 });
    await call('patch', '/api/v1/media/{id}', { params: { id: picture.id }, json: { alt: 'Toàn cảnh hội nghị cải cách hành chính', credit: null }, expect: 200 });
    await call('patch', '/api/v1/media/{id}', { params: { id: picture.id }, headers: { 'If-Match': `"image-${picture.id}-v1"` }, json: { caption: 'Cũ' }, expect: 412 });
    await call('patch', '/api/v1/media/{id}', { params: { id: picture.id }, json: { credit: 'x'.repeat(201) }, expect: 422 });
    await call('patch', '/api/v1/media/{id}', { auth: asAuthor, params: { id: picture.id }, json: { alt: 'Không được' }, expect: 403 });
    await call('patch', '/api/v1/media/{id}', { params: { id: 999999 }, json: { alt: 'Không có' }, expect: 404 });
    await call('delete', '/api/v1/media/{id}', { auth: asAuthor, params: { id: authorsPicture.id }, expect: 403 });
    await call('delete', '/api/v1/media/{id}', { auth: { apiKey: writeKey.key }, params: { id: authorsPicture.id }, expect: 204 });
    await call('delete', '/api/v1/media/{id}', { params: { id: authorsPicture.id }, expect: 404 });

    // Articles: one published citing documents, one to trash and restore.
    const body = '<p>Thực hiện Quyết định số 5359/QĐ-UBND ngày 31/12/2021 của UBND tỉnh và Quyết định số 4512/QĐ-UBND ngày 05/3/2024,'
        + ' Sở Nội vụ tổ chức tập huấn dịch vụ công trực tuyến cho cán bộ một cửa.</p><p><strong>Dự thảo</strong> Kế hoạch 88/KH-UBND đang lấy ý kiến.</p>';
    const article = need(await call('post', '/api/v1/articles', {
        json: {
            title: 'Tập huấn dịch vụ công trực tuyến toàn trình năm 2024', body_html: body, byline: 'Phòng CCHC',
            summary: 'Sở Nội vụ tập huấn dịch vụ công trực tuyến.', category_id: child.id, tags: ['Chuyển đổi số', 'Dịch vụ công'],
            cover_image_url: 'https://sonoivu.binhdinh.gov.vn/uploads/tap-huan.jpg', status: 'published', published_at: iso(now - 3600 * 1000),
        },
        expect: 201,
    }), 'create_article');
    const other = need(await call('post', '/api/v1/articles', {
        auth: { apiKey: writeKey.key },
        json: { title: 'Đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính', body_html: '<p>Theo Kế hoạch số 24/KH-UBND.</p>', category_id: parent.id, status: 'published' },
        expect: 201,
    }), 'create_article');
    const authorDraft = need(await call('post', '/api/v1/articles', {
        auth: asAuthor, json: { title: 'Bản nháp của tác giả', body_html: '<p>Nội dung nháp.</p><script>alert(1)</script>' }, expect: 201,
    }), 'create_article');
    // Scheduled (a future publication time), and one with nothing but its title and body.
    await call('post', '/api/v1/articles', {
        json: { title: 'Lịch tiếp công dân tháng tới', body_html: '<p>Theo Thông báo 1502-TB/TU.</p>', status: 'published', published_at: iso(now + 30 * day) },
        expect: 201,
    });
    const bare = need(await call('post', '/api/v1/articles', { json: { title: 'Tin ngắn', body_html: '<p>Một dòng.</p>' }, expect: 201 }), 'create_article');
    // Translations: the article in English, found by its shared slug and its language.
    const english = need(await call('post', '/api/v1/articles', {
        json: { title: 'Training on end-to-end online public services', body_html: '<p>The department trained staff.</p>', slug: article.slug, lang: 'en', translation_of: article.id, status: 'published' },
        expect: 201,
    }), 'create_article');
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: article.slug }, query: { lang: 'en' }, expect: 200 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: article.slug }, query: { lang: 'fr' }, expect: 404 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: article.slug }, query: { lang: 'v' }, expect: 422 });
    await call('post', '/api/v1/articles', { json: { title: 'Second English', body_html: '<p>x</p>', lang: 'en', translation_of: article.id }, expect: 409 });
    await call('post', '/api/v1/articles', { json: { title: 'Orphan', body_html: '<p>x</p>', lang: 'en', translation_of: 999999 }, expect: 404 });
    await call('patch', '/api/v1/articles/{key}', { params: { key: english.id }, json: { translation_of: english.id }, expect: 422 });
    await call('get', '/api/v1/articles', { auth: null, query: { lang: 'en', fields: 'id,lang,translation_of' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { lang: 'en', q: 'training' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { lang: 'tiếng' }, expect: 422 });
    await call('patch', '/api/v1/articles/{key}', { params: { key: bare.id }, json: { status: 'archived' }, expect: 200 });
    await call('get', '/api/v1/articles', { query: { status: 'draft,pending_review,scheduled,published,archived', fields: 'id,status,published_at,category,author,rating' }, expect: 200 });
    await call('get', '/api/v1/articles', { query: { status: 'scheduled,archived', include: 'documents' }, expect: 200 });
    await call('post', '/api/v1/articles', { json: { title: '', body_html: '<p>x</p>' }, expect: 422 });
    await call('post', '/api/v1/articles', { json: { title: 'Trùng đường dẫn', body_html: '<p>x</p>', slug: article.slug }, expect: 409 });
    await call('post', '/api/v1/articles', { auth: null, json: { title: 'Không đăng nhập', body_html: '<p>x</p>' }, expect: 401 });
    await call('post', '/api/v1/articles', { auth: { apiKey: readKey.key }, json: { title: 'Khóa đọc', body_html: '<p>x</p>' }, expect: 403 });
    await call('post', '/api/v1/articles', { json: { title: 'Thừa trường', body_html: '<p>x</p>', colour: 'red' }, expect: 422 });

    const syncStart = iso(now - 60 * 1000);
    await call('get', '/api/v1/articles', { auth: null, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { fields: 'id,title,slug' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { fields: 'title,published_at,category,rating', limit: 3 }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { include: 'documents' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { include: 'category,author,documents', fields: 'id,title,documents' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { include: 'category,author' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { include: 'breadcrumbs,documents', fields: 'id,breadcrumbs,documents' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { include: 'breadcrumbs' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { include: 'comments' }, expect: 422 });
    await call('get', '/api/v1/articles', { auth: null, query: { category: parent.slug, tag: 'chuyển đổi số', sort: 'published_at' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { q: 'dịch vụ công', sort: 'relevance' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { sort: '-rating', limit: 5 }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { sort: '-view_count', published_from: '2023-01-01T00:00:00Z', published_to: iso(now + day) }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { author: author.id }, expect: 200 });
    const page1 = need(await call('get', '/api/v1/articles', { auth: null, query: { limit: 2 }, expect: 200 }), 'list_articles');
    if (page1.next_cursor) await call('get', '/api/v1/articles', { auth: null, query: { limit: 2, cursor: page1.next_cursor }, expect: 200 });
    await call('get', '/api/v1/articles', { query: { status: 'draft,pending_review' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: { apiKey: readKey.key }, query: { status: 'draft' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: asAuthor, query: { status: 'draft' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { status: 'draft' }, expect: 401 });
    await call('get', '/api/v1/articles', { auth: null, query: { limit: 101 }, expect: 422 });
    await call('get', '/api/v1/articles', { auth: null, query: { limit: 'abc' }, expect: 422 });
    await call('get', '/api/v1/articles', { auth: null, query: { bust: 1 }, expect: 422 });
    await call('get', '/api/v1/articles', { auth: null, query: { sort: 'title' }, expect: 422 });
    await call('get', '/api/v1/articles', { auth: null, query: { page: 1, cursor: 'abc' }, expect: 404 });
    await call('get', '/api/v1/articles', { auth: null, query: { cursor: 'a+b' }, expect: 422 });

    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: article.slug }, expect: 200 });
    await call('get', '/api/v1/articles/{key}', { params: { key: article.id }, expect: 200 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: 'tin-noi-bat-cua-phong-cai-cach-hanh-chinh' }, expect: 200 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: 'khong-co-bai-nay' }, expect: 404 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: 999999 }, expect: 404 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: authorDraft.slug }, expect: 404 });
    await call('get', '/api/v1/articles/{key}', { auth: asAuthor, params: { key: authorDraft.slug }, expect: 200 });
    // One article takes `include` (linked_body, and what it always embeds), not `fields`: a 422.
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: article.slug }, query: { fields: 'title,slug,published_at' }, expect: 422 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: article.slug }, query: { include: 'documents' }, expect: 200 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: 1 }, query: { include: 'linked_body,documents' }, expect: 200 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: 1 }, query: { include: 'comments' }, expect: 422 });

    const updated = need(await call('patch', '/api/v1/articles/{key}', {
        params: { key: article.slug },
        json: { title: 'Tập huấn dịch vụ công trực tuyến toàn trình năm 2024 cho cán bộ một cửa', tags: ['Chuyển đổi số'], version: article.version },
        expect: 200,
    }), 'update_article');
    await call('patch', '/api/v1/articles/{key}', { params: { key: article.slug }, json: { summary: 'Cũ', version: article.version }, expect: 412 });
    await call('patch', '/api/v1/articles/{key}', { params: { key: article.slug }, headers: { 'If-Match': `"article-${article.id}-v${article.version}"` }, json: { summary: 'Cũ' }, expect: 412 });
    await call('patch', '/api/v1/articles/{key}', { params: { key: article.slug }, json: { status: 'gone' }, expect: 422 });
    await call('patch', '/api/v1/articles/{key}', { params: { key: other.slug }, json: { slug: article.slug }, expect: 409 });
    await call('patch', '/api/v1/articles/{key}', { auth: asAuthor, params: { key: article.slug }, json: { summary: 'Không phải bài của tôi' }, expect: 403 });
    await call('patch', '/api/v1/articles/{key}', { params: { key: 'khong-co-bai-nay' }, json: { summary: 'x' }, expect: 404 });
    await call('patch', '/api/v1/articles/{key}', { auth: asAuthor, params: { key: authorDraft.slug }, json: { status: 'pending_review' }, expect: 200 });
    await call('get', '/api/v1/articles/{key}/revisions', { params: { key: article.slug }, expect: 200 });
    await call('get', '/api/v1/articles/{key}/revisions', { auth: null, params: { key: article.slug }, expect: 401 });
    await call('get', '/api/v1/articles/{key}/revisions', { params: { key: 'khong-co-bai-nay' }, expect: 404 });
    await call('post', '/api/v1/articles/{key}/revisions/{version}/restore', { params: { key: article.slug, version: article.version }, expect: 200 });
    await call('post', '/api/v1/articles/{key}/revisions/{version}/restore', { params: { key: article.slug, version: 999 }, expect: 404 });
    await call('post', '/api/v1/articles/{key}/revisions/{version}/restore', { params: { key: article.slug, version: article.version }, headers: { 'If-Match': `"article-${article.id}-v${updated.version}"` }, expect: 412 });
    await call('post', '/api/v1/articles/{key}/revisions/{version}/restore', { auth: asAuthor, params: { key: article.slug, version: article.version }, expect: 403 });

    // The other article: trashed (a tombstone for apps that sync), then restored.
    await call('delete', '/api/v1/articles/{key}', { params: { key: other.slug }, headers: { 'If-Match': `"article-${other.id}-v999"` }, expect: 412 });
    await call('delete', '/api/v1/articles/{key}', { params: { key: other.slug }, expect: 204 });
    await call('delete', '/api/v1/articles/{key}', { params: { key: 'khong-co-bai-nay' }, expect: 404 });
    await call('get', '/api/v1/articles', { query: { status: 'trashed' }, expect: 200 });
    const firstPass = await call('get', '/api/v1/articles/changes', { auth: null, expect: 200 });
    await call('get', '/api/v1/articles/changes', { auth: null, query: { since: firstPass.json.next_since, fields: 'id,title', include: 'documents' }, expect: 200 });
    await call('get', '/api/v1/articles/changes', { auth: null, query: { since: firstPass.json.next_since, limit: 1 }, expect: 200 });
    await call('get', '/api/v1/articles/counters', { auth: null, query: { ids: '1,2,999999' }, expect: 200 });
    await call('get', '/api/v1/articles/counters', { auth: null, query: { ids: '1,,2' }, expect: 422 });
    await call('get', '/api/v1/articles/changes', { auth: null, query: { since: 'abc' }, expect: 404 });
    await call('get', '/api/v1/articles/changes', { auth: null, query: { since: 'hôm qua' }, expect: 422 });
    await call('get', '/api/v1/articles', { auth: null, query: { updated_since: syncStart }, expect: 422 });
    await call('post', '/api/v1/articles/{key}/restore', { params: { key: other.slug }, expect: 200 });
    await call('post', '/api/v1/articles/{key}/restore', { params: { key: article.slug }, expect: 404 });
    await call('post', '/api/v1/articles/{key}/restore', { auth: null, params: { key: other.slug }, expect: 401 });

    // Documents the articles cite.
    await call('get', '/api/v1/documents/{id}/articles', { auth: null, params: { id: cited.id }, expect: 200 });
    await call('get', '/api/v1/documents/{id}/articles', { auth: null, params: { id: decision.id }, query: { limit: 1 }, expect: 200 });
    await call('get', '/api/v1/documents/{id}/articles', { auth: null, params: { id: 999999 }, expect: 404 });

    // Related articles: the demo article and `article` both cite 5359/QĐ-UBND.
    await call('get', '/api/v1/articles/{key}/related', { auth: null, params: { key: 'tin-noi-bat-cua-phong-cai-cach-hanh-chinh' }, expect: 200 });
    await call('get', '/api/v1/articles/{key}/related', { auth: null, params: { key: article.id }, query: { limit: 20, include: 'documents,breadcrumbs' }, expect: 200 });
    await call('get', '/api/v1/articles/{key}/related', { auth: asAuthor, params: { key: authorDraft.slug }, expect: 200 });
    await call('get', '/api/v1/articles/{key}/related', { auth: null, params: { key: authorDraft.slug }, expect: 404 });
    await call('get', '/api/v1/articles/{key}/related', { auth: null, params: { key: 'khong-co-bai-nay' }, expect: 404 });
    await call('get', '/api/v1/articles/{key}/related', { auth: null, params: { key: article.slug }, query: { limit: 21 }, expect: 422 });
    await call('get', '/api/v1/articles/{key}/related', { auth: null, params: { key: article.slug }, query: { include: 'comments' }, expect: 422 });

    // Featured news, and the home page's collections.
    await call('patch', '/api/v1/articles/{key}', { params: { key: article.id }, json: { featured: true }, expect: 200 });
    await call('patch', '/api/v1/articles/{key}', { auth: asAuthor, params: { key: authorDraft.id }, json: { featured: true }, expect: 403 });
    await call('get', '/api/v1/articles', { auth: null, query: { featured: true, fields: 'id,title,featured' }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { featured: 'maybe' }, expect: 422 });
    // A cover and a social preview image from the media library, shown in lists and alone.
    await call('patch', '/api/v1/articles/{key}', { params: { key: article.id }, json: { cover_media_id: picture.id, og_media_id: picture.id }, expect: 200 });
    await call('patch', '/api/v1/articles/{key}', { params: { key: article.id }, json: { cover_media_id: 999999 }, expect: 404 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: article.slug }, expect: 200 });
    await call('get', '/api/v1/articles', { auth: null, query: { fields: 'id,cover_image' }, expect: 200 });
    await call('delete', '/api/v1/media/{id}', { params: { id: picture.id }, expect: 409 });
    await call('patch', '/api/v1/articles/{key}', { params: { key: article.id }, json: { meta_title: 'Tập huấn dịch vụ công 2024', meta_description: 'Sở Nội vụ tập huấn dịch vụ công trực tuyến toàn trình.' }, expect: 200 });
    await call('patch', '/api/v1/articles/{key}', { params: { key: article.id }, json: { meta_title: '' }, expect: 422 });
    await call('get', '/api/v1/collections', { auth: null, expect: 200 });
    const block = need(await call('post', '/api/v1/collections', { json: { name: 'Tin nổi bật', description: 'Các tin bài nổi bật trên trang chủ' }, expect: 201 }), 'create_collection');
    const doomedBlock = need(await call('post', '/api/v1/collections', { auth: { apiKey: writeKey.key }, json: { name: 'Khối tạm', slug: 'khoi-tam' }, expect: 201 }), 'create_collection');
    await call('post', '/api/v1/collections', { json: { name: 'Trùng', slug: block.slug }, expect: 409 });
    await call('post', '/api/v1/collections', { json: { name: '' }, expect: 422 });
    await call('post', '/api/v1/collections', { auth: null, json: { name: 'Không đăng nhập' }, expect: 401 });
    await call('post', '/api/v1/collections', { auth: asAuthor, json: { name: 'Tác giả' }, expect: 403 });
    await call('put', '/api/v1/collections/{key}/articles', { params: { key: block.slug }, json: [article.id, authorDraft.id, other.id], expect: 200 });
    await call('put', '/api/v1/collections/{key}/articles', { params: { key: block.slug }, json: [article.id, article.id], expect: 422 });
    await call('put', '/api/v1/collections/{key}/articles', { params: { key: block.slug }, json: [article.id, 999999], expect: 404 });
    await call('put', '/api/v1/collections/{key}/articles', { params: { key: 'khong-co' }, json: [], expect: 404 });
    await call('put', '/api/v1/collections/{key}/articles', { params: { key: block.id }, headers: { 'If-Match': `"collection-${block.id}-v1"` }, json: [], expect: 412 });
    await call('put', '/api/v1/collections/{key}/articles', { auth: { apiKey: readKey.key }, params: { key: block.id }, json: [], expect: 403 });
    await call('get', '/api/v1/collections/{key}', { auth: null, params: { key: block.slug }, expect: 200 });
    await call('get', '/api/v1/collections/{key}', { params: { key: block.id }, expect: 200 });
    await call('get', '/api/v1/collections/{key}', { auth: null, params: { key: 'khong-co' }, expect: 404 });
    await call('get', '/api/v1/collections', { auth: null, query: { limit: 1, page: 2 }, expect: 200 });
    await call('patch', '/api/v1/collections/{key}', { params: { key: block.id }, json: { name: 'Tin tiêu điểm' }, expect: 200 });
    await call('patch', '/api/v1/collections/{key}', { params: { key: block.id }, json: { slug: doomedBlock.slug }, expect: 409 });
    await call('patch', '/api/v1/collections/{key}', { params: { key: block.id }, json: { description: 'a\u0000b' }, expect: 422 });
    await call('patch', '/api/v1/collections/{key}', { params: { key: 999999 }, json: { name: 'Không có' }, expect: 404 });
    await call('patch', '/api/v1/collections/{key}', { params: { key: block.id }, headers: { 'If-Match': `"collection-${block.id}-v1"` }, json: { name: 'Cũ' }, expect: 412 });
    await call('delete', '/api/v1/collections/{key}', { auth: null, params: { key: doomedBlock.id }, expect: 401 });
    await call('delete', '/api/v1/collections/{key}', { params: { key: doomedBlock.id }, headers: { 'If-Match': `"collection-${doomedBlock.id}-v9"` }, expect: 412 });
    await call('delete', '/api/v1/collections/{key}', { params: { key: doomedBlock.id }, expect: 204 });
    await call('delete', '/api/v1/collections/{key}', { params: { key: doomedBlock.id }, expect: 404 });

    // Draft previews: the author's own draft, shown to a guest holding the link.
    const preview = need(await call('post', '/api/v1/articles/{key}/preview-links', { auth: asAuthor, params: { key: authorDraft.id }, json: {}, expect: 201 }), 'create_preview_link');
    await call('post', '/api/v1/articles/{key}/preview-links', { params: { key: authorDraft.slug }, json: { expires_in_hours: 720 }, expect: 201 });
    await call('post', '/api/v1/articles/{key}/preview-links', { params: { key: authorDraft.id }, json: { expires_in_hours: 0 }, expect: 422 });
    await call('post', '/api/v1/articles/{key}/preview-links', { auth: asAuthor, params: { key: article.id }, json: {}, expect: 403 });
    await call('post', '/api/v1/articles/{key}/preview-links', { auth: null, params: { key: authorDraft.id }, json: {}, expect: 401 });
    await call('post', '/api/v1/articles/{key}/preview-links', { params: { key: 'khong-co-bai-nay' }, json: {}, expect: 404 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: authorDraft.slug }, query: { preview: preview.token }, expect: 200 });
    await call('get', '/api/v1/articles/{key}', { auth: null, params: { key: authorDraft.slug }, query: { preview: 'bpv_khongphaima' }, expect: 404 });
    await call('get', '/api/v1/articles/{key}/preview-links', { auth: asAuthor, params: { key: authorDraft.id }, expect: 200 });
    await call('get', '/api/v1/articles/{key}/preview-links', { auth: null, params: { key: authorDraft.id }, expect: 401 });
    await call('get', '/api/v1/articles/{key}/preview-links', { auth: asAuthor, params: { key: article.id }, expect: 403 });
    await call('delete', '/api/v1/articles/{key}/preview-links/{id}', { auth: asAuthor, params: { key: authorDraft.id, id: preview.id }, expect: 204 });
    await call('delete', '/api/v1/articles/{key}/preview-links/{id}', { auth: asAuthor, params: { key: authorDraft.id, id: preview.id }, expect: 404 });
    await call('delete', '/api/v1/articles/{key}/preview-links/{id}', { auth: asAuthor, params: { key: article.id, id: preview.id }, expect: 403 });

    // Ratings: a guest's vote, read back with its voter token.
    await call('get', '/api/v1/articles/{key}/ratings', { auth: null, params: { key: article.slug }, expect: 200 });
    const vote = await call('post', '/api/v1/articles/{key}/ratings', { auth: null, params: { key: article.slug }, json: { stars: 4 }, expect: 200 });
    const voter = vote.headers.get('x-voter-token');
    if (!voter) failures.push({ kind: 'unexpected', op: 'rate_article', label: 'POST ratings as a guest', message: 'no X-Voter-Token header' });
    const asVoter = voter ? { 'X-Voter-Token': voter } : {};
    await call('post', '/api/v1/articles/{key}/ratings', { auth: null, params: { key: article.slug }, headers: asVoter, json: { stars: 5 }, expect: 200 });
    await call('get', '/api/v1/articles/{key}/ratings', { auth: null, params: { key: article.slug }, headers: asVoter, expect: 200 });
    await call('post', '/api/v1/articles/{key}/ratings', { params: { key: article.slug }, json: { stars: 3 }, expect: 200 });
    await call('post', '/api/v1/articles/{key}/ratings', { auth: null, params: { key: article.slug }, json: { stars: 7 }, expect: 422 });
    await call('post', '/api/v1/articles/{key}/ratings', { auth: null, params: { key: 'khong-co-bai-nay' }, json: { stars: 3 }, expect: 404 });
    await call('get', '/api/v1/articles/{key}/ratings', { auth: null, params: { key: 'khong-co-bai-nay' }, expect: 404 });

    // Comments: a guest's (waiting), a reply by an editor, moderated, liked, deleted.
    const guestComment = need(await call('post', '/api/v1/articles/{key}/comments', {
        auth: null, params: { key: article.slug },
        json: { body: 'Cho tôi hỏi <b>thủ tục</b> cấp đổi giấy phép lái xe đã làm trực tuyến toàn trình chưa?', author_name: 'Phạm Văn Hỏi', author_email: 'hoi@example.vn' },
        expect: 201,
    }), 'post_article_comment');
    await call('post', '/api/v1/articles/{key}/comments', { auth: null, params: { key: article.slug }, json: { body: 'spam', author_name: 'Bot', website: 'http://spam.example.com' }, expect: 422 });
    await call('post', '/api/v1/articles/{key}/comments', { auth: null, params: { key: article.slug }, json: { body: '', author_name: 'Rỗng' }, expect: 422 });
    await call('post', '/api/v1/articles/{key}/comments', { auth: null, params: { key: 'khong-co-bai-nay' }, json: { body: 'Xin chào', author_name: 'Ai đó' }, expect: 404 });
    await call('get', '/api/v1/comments', { expect: 200 });
    await call('get', '/api/v1/comments', { query: { status: 'approved', limit: 5 }, expect: 200 });
    await call('get', '/api/v1/comments', { auth: asAuthor, expect: 403 });
    await call('get', '/api/v1/comments', { auth: null, expect: 401 });
    await call('patch', '/api/v1/comments/{id}', { params: { id: guestComment.id }, json: { status: 'approved' }, expect: 200 });
    await call('patch', '/api/v1/comments/{id}', { params: { id: guestComment.id }, json: { status: 'deleted' }, expect: 422 });
    await call('patch', '/api/v1/comments/{id}', { params: { id: 999999 }, json: { status: 'approved' }, expect: 404 });
    const reply = need(await call('post', '/api/v1/articles/{key}/comments', {
        params: { key: article.slug },
        json: { body: 'Thủ tục này đã được cung cấp trực tuyến toàn trình từ tháng 3/2024.', parent_id: guestComment.id },
        expect: 201,
    }), 'post_article_comment');
    const own = need(await call('post', '/api/v1/articles/{key}/comments', { auth: asAuthor, params: { key: article.slug }, json: { body: 'Bài viết rất hữu ích.' }, expect: 201 }), 'post_article_comment');
    await call('patch', '/api/v1/comments/{id}', { auth: asAuthor, params: { id: own.id }, json: { body: 'Bài viết rất hữu ích, cảm ơn Sở.' }, expect: 200 });
    await call('patch', '/api/v1/comments/{id}', { auth: asAuthor, params: { id: guestComment.id }, json: { body: 'Không phải của tôi' }, expect: 403 });
    await call('get', '/api/v1/articles/{key}/comments', { auth: null, params: { key: article.slug }, expect: 200 });
    await call('get', '/api/v1/articles/{key}/comments', { auth: null, params: { key: article.slug }, query: { sort: 'most_liked', limit: 1 }, expect: 200 });
    await call('get', '/api/v1/articles/{key}/comments', { params: { key: article.slug }, query: { sort: 'oldest' }, expect: 200 });
    await call('get', '/api/v1/articles/{key}/comments', { auth: null, params: { key: article.slug }, query: { sort: 'best' }, expect: 422 });
    await call('get', '/api/v1/articles/{key}/comments', { auth: null, params: { key: 'khong-co-bai-nay' }, expect: 404 });
    const reaction = await call('put', '/api/v1/comments/{id}/reaction', { auth: null, params: { id: guestComment.id }, json: { reaction: 'like' }, expect: 200 });
    const reactor = reaction.headers.get('x-voter-token');
    const asReactor = reactor ? { 'X-Voter-Token': reactor } : {};
    await call('put', '/api/v1/comments/{id}/reaction', { auth: null, params: { id: guestComment.id }, headers: asReactor, json: { reaction: 'dislike' }, expect: 200 });
    await call('put', '/api/v1/comments/{id}/reaction', { auth: null, params: { id: guestComment.id }, json: { reaction: 'love' }, expect: 422 });
    await call('put', '/api/v1/comments/{id}/reaction', { auth: null, params: { id: 999999 }, json: { reaction: 'like' }, expect: 404 });
    await call('delete', '/api/v1/comments/{id}/reaction', { auth: null, params: { id: guestComment.id }, headers: asReactor, expect: 200 });
    await call('delete', '/api/v1/comments/{id}/reaction', { auth: null, params: { id: 999999 }, headers: asReactor, expect: 404 });
    await call('delete', '/api/v1/comments/{id}', { params: { id: reply.id }, expect: 204 });
    await call('delete', '/api/v1/comments/{id}', { params: { id: reply.id }, expect: 404 });
    await call('delete', '/api/v1/comments/{id}', { auth: null, params: { id: guestComment.id }, expect: 401 });

    // Public consultation on the draft document; none on a document in force.
    await call('post', '/api/v1/documents/{id}/comments', {
        auth: null, params: { id: draft.id },
        json: { body: 'Đề nghị bổ sung chỉ tiêu về tỷ lệ hồ sơ trực tuyến toàn trình.', author_name: 'Hoàng Thị Góp Ý', author_email: 'gopy@example.vn' },
        expect: 201,
    });
    await call('post', '/api/v1/documents/{id}/comments', { params: { id: draft.id }, json: { body: 'Ý kiến của Sở Nội vụ: thống nhất.' }, expect: 201 });
    await call('post', '/api/v1/documents/{id}/comments', { auth: null, params: { id: decision.id }, json: { body: 'Góp ý ngoài thời hạn', author_name: 'Ai đó' }, expect: 409 });
    await call('post', '/api/v1/documents/{id}/comments', { auth: null, params: { id: 999999 }, json: { body: 'Góp ý', author_name: 'Ai đó' }, expect: 404 });
    await call('get', '/api/v1/documents/{id}/comments', { auth: null, params: { id: draft.id }, expect: 200 });
    await call('get', '/api/v1/documents/{id}/comments', { params: { id: draft.id }, query: { sort: 'oldest' }, expect: 200 });
    await call('get', '/api/v1/documents/{id}/comments', { auth: null, params: { id: 999999 }, expect: 404 });

    // Webhooks: paused (its test is a 409), resumed and tested, its log read.
    await call('get', '/api/v1/webhooks', { expect: 200 });
    const hook = need(await call('post', '/api/v1/webhooks', {
        json: { url: 'https://hooks.example.invalid/bulletin', events: ['article.published', 'comment.created', 'rating.created'], secret: 'một bí mật đủ dài cho chữ ký', active: false },
        expect: 201,
    }), 'create_webhook');
    await call('post', '/api/v1/webhooks', { json: { url: 'http://169.254.169.254/latest/meta-data', events: ['article.created'], secret: 'một bí mật đủ dài cho chữ ký' }, expect: 403 });
    await call('post', '/api/v1/webhooks', { json: { url: 'https://hooks.example.invalid/x', events: ['article.exploded'], secret: 'một bí mật đủ dài cho chữ ký' }, expect: 422 });
    await call('post', '/api/v1/webhooks', { auth: { apiKey: writeKey.key }, json: { url: 'https://hooks.example.invalid/x', events: ['article.created'], secret: 'một bí mật đủ dài cho chữ ký' }, expect: 403 });
    await call('get', '/api/v1/webhooks/{id}', { params: { id: hook.id }, expect: 200 });
    await call('get', '/api/v1/webhooks/{id}', { params: { id: 999999 }, expect: 404 });
    await call('post', '/api/v1/webhooks/{id}/test', { params: { id: hook.id }, expect: 409 });
    await call('patch', '/api/v1/webhooks/{id}', { params: { id: hook.id }, json: { active: true, events: ['article.published', 'article.updated'] }, expect: 200 });
    await call('patch', '/api/v1/webhooks/{id}', { params: { id: hook.id }, headers: { 'If-Match': `"webhook-${hook.id}-v${hook.version}"` }, json: { active: false }, expect: 412 });
    await call('patch', '/api/v1/webhooks/{id}', { params: { id: hook.id }, json: { url: 'http://127.0.0.1:9/' }, expect: 403 });
    await call('post', '/api/v1/webhooks/{id}/test', { params: { id: hook.id }, expect: 200 });
    await call('post', '/api/v1/webhooks/{id}/test', { params: { id: 999999 }, expect: 404 });
    await call('get', '/api/v1/webhooks/{id}/deliveries', { params: { id: hook.id }, expect: 200 });
    await call('get', '/api/v1/webhooks/{id}/deliveries', { params: { id: 999999 }, expect: 404 });
    await call('get', '/api/v1/webhooks', { auth: asAuthor, expect: 403 });

    // Feeds.
    for (const feed of ['rss', 'atom', 'json']) {
        await call('get', `/feeds/articles.${feed}`, { auth: null, expect: 200 });
        await call('get', `/feeds/articles.${feed}`, { auth: null, query: { category: 'cai-cach-hanh-chinh', limit: 5 }, expect: 200 });
        await call('get', `/feeds/articles.${feed}`, { auth: null, query: { limit: 1000 }, expect: 422 });
        await call('get', `/feeds/articles.${feed}`, { auth: null, query: { lang: 'en' }, expect: 200 });
        await call('get', `/feeds/articles.${feed}`, { auth: null, query: { lang: 'v' }, expect: 422 });
    }

    // Sitemaps: the index, a page of each kind, the news; a page past the last, and a parameter none takes.
    await call('get', '/sitemap.xml', { auth: null, expect: 200 });
    await call('get', '/sitemap.xml', { auth: null, query: 'bust=1', expect: 422 });
    await call('get', '/sitemaps/articles-{page}.xml', { auth: null, params: { page: 1 }, expect: 200 });
    await call('get', '/sitemaps/articles-{page}.xml', { auth: null, params: { page: 999 }, expect: 404 });
    await call('get', '/sitemaps/documents-{page}.xml', { auth: null, params: { page: 1 }, expect: 200 });
    await call('get', '/sitemaps/documents-{page}.xml', { auth: null, params: { page: 0 }, expect: 404 });
    await call('get', '/sitemaps/news.xml', { auth: null, expect: 200 });
    await call('get', '/sitemaps/news.xml', { auth: null, query: 'bust=1', expect: 422 });

    // The old portal's URLs (the NukeViet sample dump is imported).
    await call('get', '/legacy/nukeviet/{page}', { auth: null, params: { page: 'tin-noi-bat-cua-phong-cai-cach-hanh-chinh-16.html' }, expect: 301 });
    await call('get', '/legacy/nukeviet/{page}', { auth: null, params: { page: 'bai-da-an-216.html' }, expect: 404 });
    await call('get', '/legacy/nukeviet/{category}/{page}', { auth: null, params: { category: 'cai-cach-hanh-chinh', page: 'tin-noi-bat-cua-phong-cai-cach-hanh-chinh-16.html' }, expect: 301 });
    await call('get', '/legacy/nukeviet/{category}/{page}', { auth: null, params: { category: 'cai-cach-hanh-chinh', page: 'khong-co-99999.html' }, expect: 404 });
    await call('get', '/legacy/nukeviet/{category}/', { auth: null, params: { category: 'cai-cach-hanh-chinh' }, expect: 301 });
    await call('get', '/legacy/nukeviet/{category}/', { auth: null, params: { category: 'khong-co-chuyen-muc' }, expect: 404 });
    await call('get', '/legacy/nukeviet/laws/detail/{alias}/', { auth: null, params: { alias: 'ke-hoach-khao-sat-do-luong-su-hai-long-2' }, expect: 301 });
    await call('get', '/legacy/nukeviet/laws/detail/{alias}/', { auth: null, params: { alias: 'khong-co-van-ban-99999' }, expect: 404 });

    // The audit log of all that.
    await call('get', '/api/v1/audit', { expect: 200 });
    await call('get', '/api/v1/audit', { query: { actor_kind: 'api_key', target_type: 'document', since: syncStart, until: iso(now + day), limit: 5 }, expect: 200 });
    await call('get', '/api/v1/audit', { query: { actor_kind: 'user', actor_id: 1, action: 'comment.moderated', target_id: String(guestComment.id) }, expect: 200 });
    await call('get', '/api/v1/audit', { auth: { apiKey: writeKey.key }, expect: 403 });
    await call('get', '/api/v1/audit', { query: { since: 'hôm qua' }, expect: 422 });

    // Removals last.
    await call('delete', '/api/v1/documents/{id}', { params: { id: doomedDocument.id }, headers: { 'If-Match': `"document-${doomedDocument.id}-v999"` }, expect: 412 });
    await call('delete', '/api/v1/documents/{id}', { params: { id: doomedDocument.id }, expect: 204 });
    await call('delete', '/api/v1/documents/{id}', { params: { id: doomedDocument.id }, expect: 404 });
    await call('delete', '/api/v1/webhooks/{id}', { params: { id: hook.id }, expect: 204 });
    await call('delete', '/api/v1/webhooks/{id}', { params: { id: hook.id }, expect: 404 });
    await call('delete', '/api/v1/api-keys/{id}', { params: { id: readKey.id }, expect: 204 });
    await call('get', '/api/v1/articles', { auth: { apiKey: readKey.key }, expect: 401 });
    await call('delete', '/api/v1/api-keys/{id}', { params: { id: 999999 }, expect: 404 });
    await call('get', '/api/v1/api-keys', { expect: 200 });
    await call('delete', '/api/v1/users/{id}', { params: { id: member.id }, expect: 204 });
    await call('delete', '/api/v1/users/{id}', { params: { id: member.id }, expect: 404 });
    await call('delete', '/api/v1/users/{id}', { auth: asAuthor, params: { id: author.id }, expect: 403 });
}

// ---------------------------------------------------------------- the end

const started = Date.now();
try {
    await run();
} catch (error) {
    failures.push({ kind: 'script', op: '-', label: 'the run stopped', message: error.stack ?? error.message });
}

const missing = [...operations.values()].map((e) => e.id).filter((id) => !exercised.has(id));
for (const id of missing) failures.push({ kind: 'coverage', op: id, label: id, message: 'never called' });

const titles = {
    schema: 'schemas that do not compile',
    status: 'statuses the document does not have',
    'content-type': 'content types the document does not have',
    body: 'bodies that do not match their schema',
    header: 'headers',
    unexpected: 'answers this script did not mean to get',
    request: 'requests that failed',
    coverage: 'operations not called',
    script: 'the script',
};
console.log('');
for (const [kind, title] of Object.entries(titles)) {
    const of = failures.filter((f) => f.kind === kind);
    if (!of.length) continue;
    // The same mismatch of one operation, however many answers show it, is one entry.
    const groups = new Map();
    for (const f of of) {
        const key = ['unexpected', 'request', 'script', 'coverage'].includes(kind) ? `${groups.size}` : `${f.op}|${f.status}|${f.message}`;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(f);
    }
    console.log(`== ${title}: ${of.length} (${new Set(of.map((f) => f.op)).size} operations)`);
    for (const [, group] of groups) {
        const [f] = group;
        const more = group.length > 1 ? ` (${group.length} answers)` : '';
        console.log(`  ${f.op}${f.status ? ' ' + f.status : ''}${more}: ${f.message}\n    e.g. ${f.label}${f.detail ? '\n    ' + f.detail : ''}`);
    }
}
const operationCount = operations.size;
console.log(`\n${requests} requests, ${operationCount - missing.length} of ${operationCount} operations called, `
    + `${compiled} response schemas compiled, ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures.length) {
    const byKind = Object.entries(titles).map(([k, t]) => [t, failures.filter((f) => f.kind === k).length]).filter(([, n]) => n);
    console.log(`${failures.length} failures: ${byKind.map(([t, n]) => `${n} ${t}`).join('; ')}`);
    process.exit(1);
}
console.log('every answer is as the document says');
