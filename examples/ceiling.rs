//! The benchmark's ceiling: actix-web answering one route with the same
//! bytes from memory, as fast as this machine serves anything. The bench
//! compares every scenario with it, in the same run.
//!
//! `cargo run --release --example ceiling -- 127.0.0.1:8090 BODY_FILE`

use actix_web::{App, HttpResponse, HttpServer, web};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let address = args.next().unwrap_or_else(|| "127.0.0.1:8090".into());
    let body = match args.next() {
        Some(path) => std::fs::read(path)?,
        None => vec![b'x'; 5 * 1024],
    };
    let body = web::Bytes::from(body);
    HttpServer::new(move || {
        let body = body.clone();
        App::new().default_service(web::to(move || {
            let body = body.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("application/json")
                    .body(body)
            }
        }))
    })
    .workers(2)
    .bind(address)?
    .run()
    .await
}
