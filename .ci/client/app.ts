// A client an integrator would write, typed by openapi-typescript from our
// document: it must compile with `tsc --strict`.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Article = components["schemas"]["ArticleResponse"];
type Comment = components["schemas"]["CommentResponse"];

const api = createClient<paths>({ baseUrl: "http://127.0.0.1:8080" });

export async function latestTitles(): Promise<string[]> {
  const { data, error } = await api.GET("/api/v1/articles", {
    params: { query: { limit: 5, sort: "-published_at", fields: "id,title" } },
  });
  if (error) throw new Error(error.detail);
  // An entry is an article, the fields asked for of one, or a tombstone.
  return data.items.map((entry) => ("title" in entry && entry.title ? entry.title : `#${entry.id}`));
}

export async function readArticle(slug: string): Promise<Article> {
  const { data, error } = await api.GET("/api/v1/articles/{key}", {
    params: { path: { key: slug } },
  });
  if (error) throw new Error(`${error.status}: ${error.detail}`);
  const cited: string[] = data.documents.map((document) => document.number);
  console.log(`${data.title}: ${data.rating.total} points from ${data.rating.count} votes, cites ${cited.join(", ")}`);
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
