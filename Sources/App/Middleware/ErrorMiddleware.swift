import AsyncKit
import Vapor

/// Turns every error into what the caller can read: `{"error": {...}}` under `/api`, an HTML page elsewhere.
/// 5xx are logged as errors with the request id; 4xx at info. Internal details never reach the response.
struct ErrorMiddleware: AsyncMiddleware {
    struct Body: Content {
        struct Detail: Content {
            var code: String
            var message: String
            var parameter: String?
            /// The same message in every language, for clients that show their own.
            var messages: [String: String]
        }

        var error: Detail
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch is RouteNotFound where !Self.allowedMethods(for: request).isEmpty {
            // The address is a route's, the method is not (TRACE, PUT on a list): 405 with what it does answer.
            let allowed = Self.allowedMethods(for: request)
            let response = await response(for: UserError(.methodNotAllowed(allowed: allowed)), to: request)
            response.headers.replaceOrAdd(name: .allow, value: allowed.joined(separator: ", "))
            return response
        } catch {
            return await response(for: error, to: request)
        }
    }

    /// The methods of the routes whose path matches the request's (HEAD wherever GET is), in a stable order.
    static func allowedMethods(for request: Request) -> [String] {
        let segments = request.url.path.split(separator: "/", omittingEmptySubsequences: true)
        var methods = Set<String>()
        for route in request.application.routes.all where matches(route.path, segments) {
            methods.insert(route.method.rawValue)
            if route.method == .GET { methods.insert(HTTPMethod.HEAD.rawValue) }
        }
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
        return methods.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }
    }

    private static func matches(_ pattern: [PathComponent], _ segments: [Substring]) -> Bool {
        var index = 0
        for component in pattern {
            switch component {
            case .catchall:
                return index < segments.count
            case .anything, .parameter:
                guard index < segments.count else { return false }
            case .constant(let text):
                guard index < segments.count, segments[index] == text else { return false }
            }
            index += 1
        }
        return index == segments.count
    }

    private func response(for error: any Error, to request: Request) async -> Response {
        let described = Self.describe(error, localization: request.application.localization)
        if described.status.code >= 500 {
            request.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
        } else {
            request.logger.info("request refused", metadata: [
                "status": "\(described.status.code)", "code": "\(described.code)",
            ])
        }
        let message = described.messages[request.language] ?? ""
        if request.url.path.hasPrefix("/api/") {
            let body = Body(error: .init(
                code: described.code, message: message, parameter: described.parameter,
                messages: Dictionary(uniqueKeysWithValues: described.messages.map { ($0.key.rawValue, $0.value) })))
            let response = Response(status: described.status)
            if described.status == .serviceUnavailable { response.headers.replaceOrAdd(name: .retryAfter, value: "5") }
            do {
                try response.content.encode(body, as: .json)
            } catch {
                response.body = .init(string: #"{"error":{"code":"internal","message":"internal error"}}"#)
            }
            return response
        }
        let context = ErrorPageContext(
            page: PageContext(request: request, title: request.localized("error_title")),
            status: Int(described.status.code), message: message)
        do {
            let response = try await request.view.render("error", context).encodeResponse(for: request)
            response.status = described.status
            if described.status == .serviceUnavailable { response.headers.replaceOrAdd(name: .retryAfter, value: "5") }
            return response
        } catch {
            request.logger.error("error page failed to render", metadata: ["error": "\(error)"])
            return Response(status: described.status, body: .init(string: message))
        }
    }

    struct Described {
        var status: HTTPResponseStatus
        var code: String
        var parameter: String?
        var messages: [Language: String]
    }

    static func describe(_ error: any Error, localization: Localization) -> Described {
        func all(_ message: (Language) -> String) -> [Language: String] {
            Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, message($0)) })
        }
        switch error {
        case let error as UserError:
            return Described(
                status: error.status, code: error.code, parameter: error.parameter,
                messages: all { error.message(localization, $0) })
        case is RouteNotFound:
            let error = UserError(.pageNotFound)
            return Described(
                status: .notFound, code: error.code, parameter: nil, messages: all { error.message(localization, $0) })
        case is ConnectionPoolTimeoutError:
            // Every database connection stayed busy for the pool's whole wait: a burst, not a fault. Say so.
            let error = UserError(.busy)
            return Described(
                status: error.status, code: error.code, parameter: nil, messages: all { error.message(localization, $0) })
        case let abort as any AbortError where abort.status.code < 500:
            return Described(
                status: abort.status, code: "http_\(abort.status.code)", parameter: nil,
                messages: all {
                    localization.string("error_http", $0, ["status": "\(abort.status.code)", "reason": abort.status.reasonPhrase])
                })
        default:
            return Described(
                status: .internalServerError, code: "internal", parameter: nil,
                messages: all { localization.string("error_internal", $0) })
        }
    }
}
