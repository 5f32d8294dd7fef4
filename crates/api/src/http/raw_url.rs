//! Raw non-ASCII bytes in a request's URL (`curl 'http://…/cadres?q=扎西'` sends the UTF-8 bytes
//! as they are): HTTP requires them percent-encoded, and actix-http's parser refuses such a
//! request line with an empty `400` before any service of ours runs. So, on the first request of
//! each connection, [`RawUrlGuard`] reads the request line before the parser does; if it holds a
//! byte ≥ 0x80, it hands the parser the line with those bytes percent-encoded and one header
//! added, [`MARK`]; the middleware [`refuse_marked`] then answers that request with a
//! problem+json `400` (code `raw_url_bytes`) showing the URL as it should have been sent.
//! Nothing else of the stream changes, and a request line without such bytes passes untouched.
//!
//! Later requests on a kept-alive connection are not looked at (finding their request lines would
//! mean framing every body); a client that sends raw bytes there gets actix-http's empty `400`.
//! curl opens a connection per invocation, and browsers always encode. A client that sends the
//! marker header itself only gets the same `400`.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::ResponseError;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The header that marks a request whose URL had raw non-ASCII bytes.
pub const MARK: &str = "x-zhucun-raw-url-bytes";

/// The longest request line looked at; a longer one passes as it is (the parser refuses it).
const MAX_LINE: usize = 16 * 1024;

/// A connection's stream, with its first request line checked (see the module doc).
pub struct RawUrlGuard<T> {
    inner: T,
    state: State,
}

enum State {
    /// Collecting the first request line.
    Line(Vec<u8>),
    /// Handing over what was collected (possibly rewritten), from this offset.
    Replay(Vec<u8>, usize),
    /// Passing everything through.
    Through,
}

impl<T> RawUrlGuard<T> {
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            state: State::Line(Vec::new()),
        }
    }
}

/// The request line with bytes ≥ 0x80 percent-encoded and the marker header after it, or `None`
/// when the line has no such byte. `head` ends with the line's `\n`.
pub fn rewrite(head: &[u8]) -> Option<Vec<u8>> {
    if head.is_ascii() {
        return None;
    }
    let mut out = Vec::with_capacity(head.len() * 3 + MARK.len() + 8);
    for &b in head {
        if b >= 0x80 {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
    out.extend_from_slice(MARK.as_bytes());
    out.extend_from_slice(b": 1\r\n");
    Some(out)
}

impl<T: AsyncRead + Unpin> AsyncRead for RawUrlGuard<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Through => return Pin::new(&mut this.inner).poll_read(cx, buf),
                State::Replay(bytes, at) => {
                    let rest = bytes.get(*at..).unwrap_or_default();
                    let n = rest.len().min(buf.remaining());
                    buf.put_slice(rest.get(..n).unwrap_or_default());
                    *at += n;
                    if *at >= bytes.len() {
                        this.state = State::Through;
                    }
                    return Poll::Ready(Ok(()));
                }
                State::Line(line) => {
                    let mut chunk = [0u8; 4096];
                    let mut read = ReadBuf::new(&mut chunk);
                    match Pin::new(&mut this.inner).poll_read(cx, &mut read) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                        Poll::Ready(Ok(())) => {}
                    }
                    let got = read.filled();
                    let eof = got.is_empty();
                    line.extend_from_slice(got);
                    let end = line.iter().position(|b| *b == b'\n');
                    if end.is_none() && !eof && line.len() < MAX_LINE {
                        continue;
                    }
                    let collected = std::mem::take(line);
                    let bytes = match end {
                        Some(i) => {
                            let (head, rest) = collected.split_at(i + 1);
                            match rewrite(head) {
                                Some(mut rewritten) => {
                                    rewritten.extend_from_slice(rest);
                                    rewritten
                                }
                                None => collected,
                            }
                        }
                        None => collected,
                    };
                    if bytes.is_empty() {
                        // The client closed before sending anything.
                        this.state = State::Through;
                        return Poll::Ready(Ok(()));
                    }
                    this.state = State::Replay(bytes, 0);
                }
            }
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for RawUrlGuard<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Answers a marked request (see the module doc) with a `400` naming the URL as it should be sent.
pub async fn refuse_marked(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    if !req.headers().contains_key(MARK) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let encoded = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned());
    let problem = crate::error::coded(
        "url",
        "raw_url_bytes",
        format!(
            "non-ASCII characters in a URL must be percent-encoded as UTF-8 (curl: -G \
             --data-urlencode 'q=…'); this request is {encoded}"
        ),
    );
    let response = problem.error_response();
    Ok(req.into_response(response).map_into_right_body())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    #[test]
    fn only_lines_with_raw_bytes_are_rewritten() {
        assert_eq!(rewrite(b"GET /a?q=x HTTP/1.1\r\n"), None);
        let line = "GET /api/v1/cadres?q=扎西 HTTP/1.1\r\n";
        let out = rewrite(line.as_bytes()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("GET /api/v1/cadres?q=%E6%89%8E%E8%A5%BF HTTP/1.1\r\n{MARK}: 1\r\n")
        );
    }

    /// A reader that hands out its bytes a few at a time.
    struct Trickle(Vec<u8>, usize);

    impl AsyncRead for Trickle {
        fn poll_read(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            let this = self.get_mut();
            let n = this.0.len().min(this.1).min(buf.remaining());
            let taken: Vec<u8> = this.0.drain(..n).collect();
            buf.put_slice(&taken);
            Poll::Ready(Ok(()))
        }
    }

    async fn through(input: &[u8], step: usize) -> Vec<u8> {
        let mut guard = RawUrlGuard::new(Trickle(input.to_vec(), step));
        let mut out = Vec::new();
        guard.read_to_end(&mut out).await.unwrap();
        out
    }

    #[actix_rt::test]
    async fn the_first_request_line_is_checked_however_it_arrives() {
        let body = "GET /x?q=扎西 HTTP/1.1\r\nHost: a\r\n\r\nGET /y?q=扎西 HTTP/1.1\r\n\r\n";
        let expected = format!(
            "GET /x?q=%E6%89%8E%E8%A5%BF HTTP/1.1\r\n{MARK}: 1\r\nHost: a\r\n\r\n\
             GET /y?q=扎西 HTTP/1.1\r\n\r\n"
        );
        for step in [1, 3, 7, 4096] {
            let out = through(body.as_bytes(), step).await;
            assert_eq!(String::from_utf8(out).unwrap(), expected, "step {step}");
        }
        // ASCII passes unchanged, as does a stream with no line end at all.
        let plain = b"POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(through(plain, 5).await, plain.to_vec());
        assert_eq!(through(b"GET /\xe6", 2).await, b"GET /\xe6".to_vec());
        assert_eq!(through(b"", 2).await, Vec::<u8>::new());
    }
}
