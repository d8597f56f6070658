//! Where `langbench load` sends its requests: the URL given on the command
//! line, checked and resolved.
//!
//! In: the URL text and whether a machine other than this one may be loaded.
//! Out: a [`Target`] (the address to connect to, the `Host` header, the path
//! and query of every request), or the message that says what is wrong with
//! the URL. Only `http://` is spoken, and only to a loopback address unless
//! remote loads are allowed, so a typo cannot load someone else's server.

use std::net::{SocketAddr, ToSocketAddrs};

/// A checked, resolved URL to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The first address the host resolves to.
    pub addr: SocketAddr,
    /// The `Host` header value: the host, with the port when the URL names one.
    pub host_header: String,
    /// Path and query of the request (`/a?b=c`).
    pub path: String,
}

/// The target of `url`. Fails, with a message that quotes the URL (or the
/// host), if it does not parse, is not `http://`, has no host, does not
/// resolve, or resolves to an address that is not loopback while
/// `allow_remote` is false.
pub fn target(url: &str, allow_remote: bool) -> Result<Target, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("'{url}' is not a URL: {e}"))?;
    if parsed.scheme() != "http" {
        return Err(format!("'{url}': only http:// URLs are supported"));
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| format!("'{url}' has no host"))?;
    let port = parsed.port_or_known_default().unwrap_or(80);
    let addr = resolve(host, port).map_err(|e| format!("'{url}': {e}"))?;
    if !addr.ip().is_loopback() && !allow_remote {
        return Err(format!(
            "'{}' is not a loopback address ({}); pass --allow-remote to load another machine",
            host,
            addr.ip()
        ));
    }
    let path = match parsed.query() {
        Some(q) => format!("{}?{q}", parsed.path()),
        None => parsed.path().to_string(),
    };
    Ok(Target {
        addr,
        host_header: match parsed.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        },
        path,
    })
}

/// The first address `host:port` resolves to (an IPv6 host without its brackets).
fn resolve(host: &str, port: u16) -> Result<SocketAddr, String> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve '{host}': {e}"))?
        .next()
        .ok_or_else(|| format!("'{host}' resolves to no address"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loopback_url_gives_address_host_header_and_path() {
        let t = target("http://127.0.0.1:8080/json", false).unwrap();
        assert_eq!(t.addr, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(t.host_header, "127.0.0.1:8080");
        assert_eq!(t.path, "/json");
    }

    #[test]
    fn the_query_string_is_kept_and_port_80_is_the_default() {
        let t = target("http://127.0.0.1/a/b?c=1&d=2", false).unwrap();
        assert_eq!(t.path, "/a/b?c=1&d=2");
        assert_eq!(t.addr.port(), 80);
        // No port in the URL, none in the Host header.
        assert_eq!(t.host_header, "127.0.0.1");
        assert_eq!(target("http://127.0.0.1", false).unwrap().path, "/");
    }

    #[test]
    fn ipv6_hosts_lose_their_brackets_to_resolve_but_keep_them_in_the_header() {
        let t = target("http://[::1]:9000/x", false).unwrap();
        assert_eq!(t.addr, "[::1]:9000".parse().unwrap());
        assert_eq!(t.host_header, "[::1]:9000");
    }

    #[test]
    fn only_http_urls_with_a_host_are_taken() {
        assert_eq!(
            target("https://127.0.0.1/", false).unwrap_err(),
            "'https://127.0.0.1/': only http:// URLs are supported"
        );
        assert_eq!(
            target("not a url", false).unwrap_err(),
            "'not a url' is not a URL: relative URL without a base"
        );
        // An http URL without a host does not even parse.
        assert_eq!(
            target("http://", false).unwrap_err(),
            "'http://' is not a URL: empty host"
        );
    }

    #[test]
    fn a_remote_address_needs_allow_remote() {
        // 192.0.2.0/24 is TEST-NET-1: never routed, and no lookup needed.
        assert_eq!(
            target("http://192.0.2.1:8080/", false).unwrap_err(),
            "'192.0.2.1' is not a loopback address (192.0.2.1); pass --allow-remote to load \
             another machine"
        );
        let t = target("http://192.0.2.1:8080/", true).unwrap();
        assert_eq!(t.addr, "192.0.2.1:8080".parse().unwrap());
    }
}
