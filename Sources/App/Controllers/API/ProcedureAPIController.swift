import Domain
import Fluent
import Vapor

enum ProcedureAPIController {
    /// `GET /api/v1/procedures?q=&field=&level=&agency=&channel=&page=&per=`: a `ProcedurePageDTO`, written from the
    /// snapshot's pre-encoded items.
    @Sendable static func list(req: Request) async throws -> Response {
        let query = try CatalogueQuery(request: req)
        let snapshot = try await req.catalogueSnapshot()
        try CatalogueQuery.validateAgency(query.agency, in: snapshot.index)
        try CatalogueQuery.validateField(query.field, in: snapshot.index)
        let page = snapshot.index.search(query)
        var body = req.byteBufferAllocator.buffer(capacity: 512 + page.positions.count * 640)
        body.writeStaticString("{\"items\":[")
        for (number, position) in page.positions.enumerated() {
            if number > 0 { body.writeStaticString(",") }
            body.writeBytes(snapshot.summaryJSON[position])
        }
        body.writeString("],\"page\":\(page.page),\"per\":\(page.per),\"total\":\(page.total)}")
        return Response(
            status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(buffer: body))
    }

    /// `GET /api/v1/procedures/{code}`: encoded once per catalogue snapshot (`PageCache`), the same for every caller.
    @Sendable static func show(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        let snapshot = try await req.catalogueSnapshot()
        return try await snapshot.pages.response(key: "api " + code, contentType: "application/json; charset=utf-8") {
            guard let found = try await CatalogueQueries.procedure(code: code, on: req.db) else {
                throw UserError(.procedureNotFound(code: code))
            }
            let dto = ProcedureDTO(
                found.procedure, version: found.version,
                agency: AgencyRef(code: found.agencyCode, name: found.agencyName), issues: found.issues,
                pauseRule: found.pauseRule)
            return try await dto.encodeResponse(for: req).body.buffer ?? ByteBuffer()
        }
    }

    /// `GET /api/v1/procedures/{code}/form`: the e-form to fill for the procedure now (its version, or the standard
    /// form when none was written) and the documents the dossier holds.
    @Sendable static func form(req: Request) async throws -> ProcedureFormDTO {
        let code = req.parameters.get("code") ?? ""
        guard let found = try await CatalogueQueries.procedure(code: code, on: req.db) else {
            throw UserError(.procedureNotFound(code: code))
        }
        let current = try await ProcedureForms.current(of: found, on: req.db)
        return ProcedureFormDTO(
            procedure: found.procedure.code, version: current.version, form: current.definition, documents: current.slots)
    }
}

/// A procedure's e-form, as `GET /api/v1/procedures/{code}/form` gives it.
struct ProcedureFormDTO: Content {
    var procedure: String
    /// Nil for the standard form.
    var version: Int?
    var form: FormDefinition
    var documents: [DocumentSlot]
}

enum AgencyAPIController {
    /// `GET /api/v1/agencies?parent=CODE`: the children of an agency, or the top of the tree without `parent`.
    @Sendable static func children(req: Request) async throws -> AgencyListDTO {
        // Checked whether or not there is a `q` to use it with: a wrong value is refused, never ignored.
        let limit = try limitParameter(req)
        if let text = try searchText(req) { return try await search(req, text, limit: limit) }
        let parentCode = try? req.query.get(String.self, at: "parent")
        var parent: AgencyModel?
        if let parentCode, !parentCode.isEmpty {
            guard parentCode.count <= 64 else {
                throw UserError(.invalidParameter(name: "parent", problem: .tooLong(max: 64)))
            }
            guard let found = try await AgencyModel.query(on: req.db).filter(\.$code == parentCode).first() else {
                throw UserError(.agencyNotFound(code: parentCode))
            }
            parent = found
        }
        let children = try await AgencyQueries.children(of: parent?.id, on: req.db)
        return AgencyListDTO(
            parent: parent.map { AgencyRef(code: $0.code, name: $0.name) },
            items: children.map {
                AgencyDTO(
                    code: $0.code, name: $0.name, nameEn: $0.nameEn, kind: $0.kind, parent: parent?.code,
                    url: SiteURL.api(.agencies).path + "?parent=" + Self.queryValue($0.code))
            })
    }
}

extension AgencyAPIController {
    static let maximumQueryLength = 100
    static let defaultLimit = 20
    static let maximumLimit = 50

    /// `?q=`: units by name, typed with or without diacritics, either tone placement, part of the last word; within
    /// `parent` when given (the communes of a province, for an address).
    /// `limit`: 1 to 50, `defaultLimit` when absent or empty.
    static func limitParameter(_ req: Request) throws -> Int {
        guard let raw = try? req.query.get(String.self, at: "limit"), !raw.isEmpty else { return defaultLimit }
        guard let value = Int(raw) else { throw UserError(.invalidParameter(name: "limit", problem: .notAWholeNumber)) }
        guard (1...maximumLimit).contains(value) else {
            throw UserError(.invalidParameter(name: "limit", problem: .outOfRange(min: 1, max: maximumLimit)))
        }
        return value
    }

    /// `q`, the unit search's text (the API's and the units page's): nil when absent or empty, refused when longer
    /// than `maximumQueryLength` or holding a control character.
    static func searchText(_ req: Request) throws -> String? {
        guard let text = try? req.query.get(String.self, at: "q"), !text.isEmpty else { return nil }
        guard text.count <= maximumQueryLength else {
            throw UserError(.invalidParameter(name: "q", problem: .tooLong(max: maximumQueryLength)))
        }
        guard !TextInput.hasControlCharacters(text) else {
            throw UserError(.invalidParameter(name: "q", problem: .controlCharacters))
        }
        return text
    }

    static func search(_ req: Request, _ text: String, limit: Int) async throws -> AgencyListDTO {
        let tree = try await req.application.agencyTree.tree(on: req.db)
        var parent: AgencyTree.Node?
        if let code = try? req.query.get(String.self, at: "parent"), !code.isEmpty {
            guard code.count <= 64 else { throw UserError(.invalidParameter(name: "parent", problem: .tooLong(max: 64))) }
            guard let found = tree.byCode[code] else { throw UserError(.agencyNotFound(code: code)) }
            parent = found
        }
        let found = tree.search.search(text, limit: limit) { code in
            guard let parent else { return true }
            return code != parent.code && (tree.path(ofCode: code) ?? []).contains(parent.code)
        }
        return AgencyListDTO(
            parent: parent.map { AgencyRef(code: $0.code, name: $0.name) },
            items: found.compactMap { candidate in
                tree.byCode[candidate.code].map { node in
                    AgencyDTO(
                        code: node.code, name: node.name, nameEn: node.nameEn, kind: node.kind,
                        parent: node.parent.flatMap { tree.byID[$0]?.code },
                        url: SiteURL.api(.agencies).path + "?parent=" + queryValue(node.code))
                }
            })
    }

    /// A value safe inside a query string: `&`, `=`, `+` and `#` are escaped, dots stay readable.
    static func queryValue(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+", "#"])) ?? value
    }
}

extension CatalogueQuery {
    /// A field filter must name a field of the catalogue: checked once here, instead of compared with every
    /// procedure's field.
    static func validateField(_ field: String?, in index: CatalogueIndex) throws(UserError) {
        guard let field else { return }
        guard index.fields.contains(where: { $0.name == field }) else {
            throw UserError(.invalidParameter(name: "field", problem: .notOneOf(index.fields.map(\.name))))
        }
    }

    /// An agency filter must name a managing agency of the catalogue.
    static func validateAgency(_ agency: String?, in index: CatalogueIndex) throws(UserError) {
        guard let agency else { return }
        let codes = index.agencies.map(\.code)
        guard codes.contains(agency) else {
            throw UserError(.invalidParameter(name: "agency", problem: .notOneOf(codes)))
        }
    }
}

enum TokenAPIController {
    struct MeDTO: Content {
        var kind: String
        var name: String
        var agency: AgencyRef?
        var permissions: [String]
        var createdAt: Date?
    }

    /// `GET /api/v1/me`: the integration this token belongs to, its scope and permissions.
    @Sendable static func me(req: Request) async throws -> MeDTO {
        guard let token = req.apiToken else { throw Abort(.unauthorized) }
        return MeDTO(
            kind: "apiToken", name: token.name, agency: token.agency.map { AgencyRef(code: $0.code, name: $0.name) },
            permissions: APIPermission.allCases.filter(token.permissionSet.contains).map(\.rawValue),
            createdAt: token.createdAt)
    }
}
