//! Answering one request from the catalog: the route, the page or the feed, the coding,
//! then `304 Not Modified` when the client's copy is current, else the body with its
//! headers. `GET` and `HEAD` only.

use std::sync::Arc;

use axum::body::Body as HttpBody;
use axum::http::header::{
    ACCEPT, ACCEPT_ENCODING, ALLOW, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG,
    IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LINK, VARY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;

use super::catalog::{Body, Catalog, Route, Variant};
use super::negotiate;

/// The response to `method` on `uri` with `headers`.
pub(super) fn respond(
    catalog: &Catalog,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        (response.headers_mut()).insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Some(route) = catalog.route(uri.path()) else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let (body, is_page) = representation(route, uri.query(), headers);
    let accept_encoding = header(headers, ACCEPT_ENCODING);
    let coding = negotiate::coding(accept_encoding, &body.codings());
    let variant = body.variant(coding);

    let mut response = match fresh(headers, variant, body) {
        true => {
            let mut response = Response::new(HttpBody::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            response
        }
        false => with_body(body, variant),
    };
    let out = response.headers_mut();
    out.insert(ETAG, variant.etag.clone());
    out.insert(LAST_MODIFIED, body.last_modified.clone());
    out.insert(CACHE_CONTROL, route.cache_control.clone());
    out.insert(
        VARY,
        HeaderValue::from_static(match route.page.is_some() {
            true => "Accept, Accept-Encoding",
            false => "Accept-Encoding",
        }),
    );
    if let (Some(link), false) = (&route.link, is_page) {
        out.insert(LINK, link.clone());
    }
    response
}

/// The body to send for `route`: its page when the client asks for it by query or prefers
/// HTML, else its own. Whether it is the page.
fn representation<'a>(
    route: &'a Route,
    query: Option<&str>,
    headers: &HeaderMap,
) -> (&'a Arc<Body>, bool) {
    let Some(page) = &route.page else {
        return (&route.body, false);
    };
    let asked = query.is_some_and(negotiate::asks_for_page)
        || header(headers, ACCEPT).is_some_and(negotiate::prefers_html);
    match asked {
        true => (page, true),
        false => (&route.body, false),
    }
}

/// Whether the client's copy is current: `If-None-Match` names the variant's tag, or,
/// without that header, `If-Modified-Since` is not older than the body.
fn fresh(headers: &HeaderMap, variant: &Variant, body: &Body) -> bool {
    let etag = variant.etag.to_str().unwrap_or_default();
    if let Some(tags) = header(headers, IF_NONE_MATCH) {
        return negotiate::none_match(tags, etag);
    }
    header(headers, IF_MODIFIED_SINCE)
        .is_some_and(|since| negotiate::not_modified_since(since, body.modified))
}

/// A `200 OK` with the variant's bytes (`HEAD` loses them on the way out, keeping their
/// length).
fn with_body(body: &Body, variant: &Variant) -> Response {
    let mut response = Response::new(HttpBody::from(variant.bytes.clone()));
    let out = response.headers_mut();
    out.insert(CONTENT_TYPE, body.content_type.clone());
    out.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Some(token) = variant.coding.token() {
        out.insert(CONTENT_ENCODING, HeaderValue::from_static(token));
    }
    response
}

/// A short plain-text answer.
fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = Response::new(HttpBody::from(text));
    *response.status_mut() = status;
    let out = response.headers_mut();
    out.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn header(headers: &HeaderMap, name: axum::http::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}
