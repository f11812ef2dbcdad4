// A client an integrator would write, typed by openapi-typescript from our
// document: it must compile with `tsc --strict`.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Article = components["schemas"]["ArticleResponse"];
type Comment = components["schemas"]["CommentResponse"];
type Change = components["schemas"]["ArticleChange"];

const api = createClient<paths>({ baseUrl: "http://127.0.0.1:8080" });

export async function latestTitles(): Promise<string[]> {
  const { data, error } = await api.GET("/api/v1/articles", {
    params: { query: { limit: 5, sort: "-published_at", fields: "id,title" } },
  });
  if (error) throw new Error(error.detail);
  // With `fields`, an entry holds the fields asked for (and `id`).
  return data.items.map((entry) => entry.title ?? `#${entry.id}`);
}

// The home page: whole articles, every field present (null when empty).
export async function homePage(category: string): Promise<string[]> {
  const { data, error } = await api.GET("/api/v1/articles", {
    params: { query: { category, limit: 10 } },
  });
  if (error) throw new Error(`${error.status}: ${error.detail}`);
  // Without `fields` every entry is a whole article; the type also allows
  // for a cut one, hence the `?.`.
  return data.items.map((entry) => {
    const where = entry.category ? ` (${entry.category.name})` : "";
    const by = entry.byline ? ` · ${entry.byline}` : "";
    return `${entry.title ?? entry.id}${where}${by} · ${entry.published_at ?? "chưa đăng"}`;
  });
}

// A mobile app's sync: pass back the server's token until nothing more
// waits; store articles by id, drop the ids of tombstones.
export async function sync(store: Map<number, Change>, since?: string): Promise<string> {
  let token = since;
  for (;;) {
    const { data, error } = await api.GET("/api/v1/articles/changes", {
      params: { query: { since: token, limit: 100 } },
    });
    if (error) throw new Error(`${error.status}: ${error.detail}`);
    for (const entry of data.items) {
      if ("deleted" in entry && entry.deleted === true) store.delete(entry.id);
      else store.set(entry.id, entry);
    }
    token = data.next_since;
    if (!data.has_more) return token;
  }
}

// An article's page from one call: breadcrumbs, the body with its cited
// numbers linked, the documents' standing, the neighbours, reading time;
// problems in Vietnamese to show the reader as they are.
export async function readArticle(slug: string): Promise<Article> {
  const { data, error } = await api.GET("/api/v1/articles/{key}", {
    params: { path: { key: slug }, query: { include: "linked_body" } },
    headers: { "Accept-Language": "vi" },
  });
  if (error) throw new Error(`${error.status}: ${error.title}: ${error.detail}`);
  const trail = data.breadcrumbs.map((crumb) => `<a href="${crumb.url}">${crumb.name}</a>`);
  const cited = data.documents.map((document) =>
    `<a href="${document.url}">${document.number}</a> (${document.status})`);
  const around = [data.previous, data.next].map((link) =>
    link === null ? "" : `<a href="${link.url}">${link.title}</a>`);
  console.log(`${trail.join(" › ")} · ${data.title} · ${data.reading_time} phút đọc`);
  console.log(`${data.body_html}\n${cited.join(", ")}\n${around.join(" | ")}`);
  console.log(`${data.rating.total} points from ${data.rating.count} votes`);
  return data;
}

export async function comment(slug: string, body: string, name: string): Promise<Comment> {
  const { data, error } = await api.POST("/api/v1/articles/{key}/comments", {
    params: { path: { key: slug } },
    body: { body, author_name: name },
  });
  if (error) throw new Error(error.errors?.map((e) => `${e.field}: ${e.message}`).join("; ") ?? error.detail);
  const waiting: boolean = data.status === "pending";
  console.log(waiting ? "waiting for moderation" : "published");
  return data;
}

// Milliseconds until the idle warning ("Thời gian chờ: 60 giây") is due,
// counted on the server's clock, whatever this device's clock says.
export async function signIn(email: string, password: string): Promise<number> {
  const { data, error } = await api.POST("/api/v1/auth/login", { body: { email, password } });
  if (error) throw new Error(error.detail);
  return Date.parse(data.idle_expires_at) - Date.parse(data.server_time) - 60_000;
}

// A browser keeps the refresh token in its HttpOnly cookie: the page holds
// only the access token and the CSRF token the next refresh needs.
export async function browserSession(email: string, password: string): Promise<() => Promise<string>> {
  const login = await api.POST("/api/v1/auth/login", {
    body: { email, password, refresh_cookie: true },
    credentials: "include",
  });
  if (login.error) throw new Error(login.error.detail);
  let csrf: string | null = login.data.csrf_token;
  return async () => {
    const { data, error } = await api.POST("/api/v1/auth/refresh", {
      body: {},
      params: { header: { "X-CSRF-Token": csrf } },
      credentials: "include",
    });
    if (error) throw new Error(`${error.type}: ${error.detail}`);
    csrf = data.csrf_token;
    return data.access_token;
  };
}
