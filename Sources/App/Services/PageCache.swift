import NIOConcurrencyHelpers
import Vapor

/// Public pages rendered once per catalogue snapshot and language, for anonymous visitors: the home page, the
/// catalogue and procedure pages are the same for every signed-out reader until the catalogue changes, and they
/// are the pages citizens open most. Each `CatalogueSnapshot` holds its own cache, so a page drawn from an older
/// catalogue is never served once the index has moved on; signed-in readers (whose header and links differ) always
/// get a fresh page.
final class PageCache: Sendable {
    /// What the cache may hold; when a page would pass it, the cache starts over (a burst of one-off searches
    /// costs renders, never memory).
    static let byteBudget = 32 << 20

    private struct State {
        var pages: [String: ByteBuffer] = [:]
        var bytes = 0
    }

    private let state = NIOLockedValueBox(State())

    /// The cached page for `req`, or `render`'s, stored for the next anonymous reader. Only a 200 is kept.
    func respond(to req: Request, render: () async throws -> View) async throws -> Response {
        guard req.method == .GET, req.account == nil, req.cookies[Sessions.cookieName] == nil else {
            return try await render().encodeResponse(for: req)
        }
        let key = req.language.rawValue + " " + req.url.path + "?" + (req.url.query ?? "")
        if let body = state.withLockedValue({ $0.pages[key] }) {
            return Self.response(body)
        }
        let view = try await render()
        let bytes = view.data.readableBytes
        state.withLockedValue { state in
            if state.bytes + bytes > Self.byteBudget { state = State() }
            if state.pages.updateValue(view.data, forKey: key) == nil { state.bytes += bytes }
        }
        return Self.response(view.data)
    }

    private static func response(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(buffer: body))
    }
}
