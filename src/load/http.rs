//! The few pieces of HTTP/1.1 the load generator needs: one pre-built GET
//! request, and an incremental response parser (head by `httparse`, body by
//! `Content-Length` or chunked encoding) that never allocates per response.

/// The bytes of a keep-alive GET request for `path` on `host`: only the
/// `Host` header HTTP/1.1 requires, as wrk sends, so servers parse the same
/// request from either tool.
pub fn get_request(host: &str, path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").into_bytes()
}

/// A complete response found at the start of a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The status code.
    pub status: u16,
    /// Bytes of the buffer the response took (head and body).
    pub consumed: usize,
    /// Where the body is: in the buffer (Content-Length) or decoded into the scratch vector (chunked).
    pub body: Body,
    /// The server asked to close the connection.
    pub close: bool,
}

/// Where a parsed body lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// `buf[start..end]`.
    InBuffer(usize, usize),
    /// The whole scratch vector.
    Decoded,
}

/// Parses one final response from the start of `buf`, skipping interim 1xx
/// responses (such as 103 Early Hints). `Ok(None)`: more bytes are needed. A
/// chunked body is decoded into `scratch`.
pub fn parse_response(buf: &[u8], scratch: &mut Vec<u8>) -> Result<Option<Parsed>, String> {
    let mut skipped = 0;
    loop {
        match parse_one(&buf[skipped..], scratch)? {
            Some(p) if (100..200).contains(&p.status) && p.status != 101 => skipped += p.consumed,
            Some(p) => return Ok(Some(offset(p, skipped))),
            None => return Ok(None),
        }
    }
}

/// `p`, parsed at `buf[skipped..]`, with positions relative to `buf`.
fn offset(mut p: Parsed, skipped: usize) -> Parsed {
    p.consumed += skipped;
    if let Body::InBuffer(a, b) = p.body {
        p.body = Body::InBuffer(a + skipped, b + skipped);
    }
    p
}

fn parse_one(buf: &[u8], scratch: &mut Vec<u8>) -> Result<Option<Parsed>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut resp = httparse::Response::new(&mut headers);
    let head_len = match resp.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(format!("bad response head: {e}")),
    };
    let status = resp.code.unwrap_or(0);
    let mut content_length = None;
    let mut chunked = false;
    let mut close = resp.version == Some(0);
    for h in resp.headers.iter() {
        if h.name.eq_ignore_ascii_case("content-length") {
            let v = std::str::from_utf8(h.value)
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok());
            content_length = Some(v.ok_or("bad Content-Length")?);
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = h
                .value
                .windows(7)
                .any(|w| w.eq_ignore_ascii_case(b"chunked"));
        } else if h.name.eq_ignore_ascii_case("connection") {
            close = h.value.eq_ignore_ascii_case(b"close");
        }
    }
    if chunked {
        return Ok(decode_chunked(&buf[head_len..], scratch)?.map(|n| Parsed {
            status,
            consumed: head_len + n,
            body: Body::Decoded,
            close,
        }));
    }
    // Without a length, 1xx/204/304 have no body; anything else is read to close, which
    // a keep-alive benchmark does not support.
    let len = match content_length {
        Some(n) => n,
        None if status < 200 || status == 204 || status == 304 => 0,
        None => return Err("response has neither Content-Length nor chunked encoding".into()),
    };
    if buf.len() < head_len + len {
        return Ok(None);
    }
    Ok(Some(Parsed {
        status,
        consumed: head_len + len,
        body: Body::InBuffer(head_len, head_len + len),
        close,
    }))
}

/// Decodes a chunked body at the start of `data` into `out`; returns the bytes
/// it took, or None if incomplete.
fn decode_chunked(data: &[u8], out: &mut Vec<u8>) -> Result<Option<usize>, String> {
    out.clear();
    let mut pos = 0;
    loop {
        let Some(line_end) = find_crlf(&data[pos..]) else {
            return Ok(None);
        };
        let line = &data[pos..pos + line_end];
        let size_text = line.split(|&b| b == b';').next().unwrap_or(line);
        let size = std::str::from_utf8(size_text)
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .ok_or("bad chunk size")?;
        pos += line_end + 2;
        if size == 0 {
            // Skip trailers up to the empty line.
            loop {
                let Some(end) = find_crlf(&data[pos..]) else {
                    return Ok(None);
                };
                pos += end + 2;
                if end == 0 {
                    return Ok(Some(pos));
                }
            }
        }
        if data.len() < pos + size + 2 {
            return Ok(None);
        }
        if &data[pos + size..pos + size + 2] != b"\r\n" {
            return Err("chunk data not followed by CRLF".into());
        }
        out.extend_from_slice(&data[pos..pos + size]);
        pos += size + 2;
    }
}

fn find_crlf(data: &[u8]) -> Option<usize> {
    data.windows(2).position(|w| w == b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(buf: &[u8]) -> (Option<Parsed>, Vec<u8>) {
        let mut scratch = Vec::new();
        (parse_response(buf, &mut scratch).unwrap(), scratch)
    }

    const OK: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{\"message\":\"Hello, World!\"}";

    #[test]
    fn content_length_body() {
        let (p, _) = parse(OK);
        let p = p.unwrap();
        assert_eq!(p.status, 200);
        assert_eq!(p.consumed, OK.len());
        let Body::InBuffer(a, b) = p.body else {
            panic!()
        };
        assert_eq!(&OK[a..b], b"{\"message\":\"Hello, World!\"}");
        assert!(!p.close);
    }

    #[test]
    fn incomplete_until_every_byte_is_there() {
        for cut in 0..OK.len() {
            assert_eq!(parse(&OK[..cut]).0, None, "cut at {cut}");
        }
    }

    #[test]
    fn two_pipelined_responses_parse_one_at_a_time() {
        let both = [OK, OK].concat();
        assert_eq!(parse(&both).0.unwrap().consumed, OK.len());
    }

    #[test]
    fn chunked_body_is_decoded() {
        let r = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\n\r\nNEXT";
        let (p, body) = parse(r);
        let p = p.unwrap();
        assert_eq!(body, b"Wikipedia");
        assert_eq!(p.body, Body::Decoded);
        assert_eq!(p.consumed, r.len() - 4);
        assert_eq!(parse(&r[..r.len() - 6]).0, None);
    }

    #[test]
    fn interim_responses_are_skipped() {
        let r = [
            b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n".as_slice(),
            OK,
        ]
        .concat();
        let (p, _) = parse(&r);
        let p = p.unwrap();
        assert_eq!((p.status, p.consumed), (200, r.len()));
        let Body::InBuffer(a, b) = p.body else {
            panic!()
        };
        assert_eq!(&r[a..b], b"{\"message\":\"Hello, World!\"}");
        assert_eq!(parse(&r[..r.len() - 1]).0, None);
    }

    #[test]
    fn bad_chunk_framing_is_an_error() {
        let mut s = Vec::new();
        let r = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWikiXX0\r\n\r\n";
        assert!(parse_response(r, &mut s).is_err());
    }

    #[test]
    fn close_and_errors() {
        let (p, _) = parse(b"HTTP/1.1 503 Busy\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        let p = p.unwrap();
        assert_eq!((p.status, p.close), (503, true));
        let mut s = Vec::new();
        assert!(parse_response(b"garbage\r\n\r\n", &mut s).is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n\r\n", &mut s).is_err());
    }

    #[test]
    fn request_is_keep_alive_get() {
        let r = String::from_utf8(get_request("127.0.0.1:8080", "/json")).unwrap();
        assert_eq!(r, "GET /json HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
    }
}
