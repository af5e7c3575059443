import Domain
import Vapor

/// The public catalogue pages: home with search, the filtered list, and one procedure.
enum CatalogueController {
    @Sendable static func home(req: Request) async throws -> Response {
        let snapshot = try await req.catalogueSnapshot()
        return try await snapshot.pages.respond(to: req) { try await renderHome(req, snapshot.index) }
    }

    private static func renderHome(_ req: Request, _ index: CatalogueIndex) async throws -> View {
        let fields = index.fields.sorted { $0.count > $1.count }.prefix(12).map { field in
            HomeContext.Link(label: field.name, count: field.count, url: listURL(["field": field.name]))
        }
        let agencies = index.agencies.map { HomeContext.Link(label: $0.name, count: $0.count, url: listURL(["agency": $0.code])) }
        let context = HomeContext(
            page: PageContext(request: req, title: req.localized("home_title")),
            total: index.entries.count, fields: Array(fields), agencies: agencies)
        return try await req.view.render("home", context)
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let query = try CatalogueQuery(request: req)
        let snapshot = try await req.catalogueSnapshot()
        return try await snapshot.pages.respond(to: req) { try await renderList(req, query, snapshot.index) }
    }

    private static func renderList(_ req: Request, _ query: CatalogueQuery, _ index: CatalogueIndex) async throws -> View {
        try CatalogueQuery.validateAgency(query.agency, in: index)
        try CatalogueQuery.validateField(query.field, in: index)
        let result = index.search(query)
        let format = req.formatting
        let title = query.text.isEmpty
            ? req.localized("catalogue_title") : req.localized("catalogue_results_for", ["q": query.text])
        let context = ListContext(
            page: PageContext(request: req, title: title),
            q: query.text,
            total: result.total,
            filtersActive: query.field != nil || query.level != nil || query.agency != nil || query.channel != nil,
            summary: req.localized("catalogue_count", ["n": "\(result.total)"]),
            fields: index.fields.map { .init(value: $0.name, label: $0.name, selected: $0.name == query.field) },
            levels: ImplementationLevel.allCases.map {
                .init(value: $0.rawValue, label: format.level($0), selected: $0 == query.level)
            },
            agencies: index.agencies.map { .init(value: $0.code, label: $0.name, selected: $0.code == query.agency) },
            channels: SubmissionChannel.allCases.map {
                .init(value: $0.rawValue, label: format.channel($0), selected: $0 == query.channel)
            },
            items: result.items.map { ListContext.Item($0, format: format) },
            pager: Pager(query: query, result: result))
        return try await req.view.render("catalogue", context)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let snapshot = try await req.catalogueSnapshot()
        return try await snapshot.pages.respond(to: req) { try await renderProcedure(req) }
    }

    private static func renderProcedure(_ req: Request) async throws -> View {
        let code = req.parameters.get("code") ?? ""
        guard let found = try await CatalogueQueries.procedure(code: code, on: req.db) else {
            throw UserError(.procedureNotFound(code: code))
        }
        let format = req.formatting
        // Administrators get a way to the procedure's settings; the settings page decides what they may change.
        let administers = AccessPolicy.mayOpenAdministration(try await req.actor()).isAllowed
        let context = ProcedureContext(
            page: PageContext(request: req, title: found.procedure.name),
            procedure: .init(found, format: format, localization: req.application.localization, language: req.language),
            pauseRule: req.localized("pause_rule_" + found.pauseRule.rawValue),
            settingsURL: administers ? SiteURL.adminProcedure(code: found.procedure.code).path : nil)
        return try await req.view.render("procedure", context)
    }

    /// A catalogue link with these query parameters, empty ones left out.
    static func listURL(_ parameters: [String: String?]) -> String {
        var components = URLComponents()
        components.path = SiteURL.procedures.path
        let items = parameters.compactMap { name, value in
            value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) }
        }.sorted { $0.name < $1.name }
        components.queryItems = items.isEmpty ? nil : items
        // `+` in a value must not read as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string ?? SiteURL.procedures.path
    }
}

// MARK: - Contexts

struct HomeContext: Encodable {
    struct Link: Encodable {
        var label: String
        var count: Int
        var url: String
    }

    var page: PageContext
    var total: Int
    var fields: [Link]
    var agencies: [Link]
}

struct Option: Encodable {
    var value: String
    var label: String
    var selected: Bool
}

struct ListContext: Encodable {
    struct Item: Encodable {
        var code: String
        var name: String
        var url: String
        var field: String
        var agency: String
        var levels: String
        var channels: String
        var online: Bool
        var processingTime: String?
        var fees: String?

        init(_ entry: CatalogueEntry, format: Formatting) {
            code = entry.code
            name = entry.name
            url = SiteURL.procedure(code: entry.code).path
            field = entry.field
            agency = entry.managingAgencyName
            levels = entry.levels.map(format.level).joined(separator: ", ")
            channels = entry.channels.map { format.channel($0.channel) }.joined(separator: ", ")
            online = entry.offeredChannels.contains(.online)
            let main = entry.channels.first { $0.channel == .online } ?? entry.channels.first
            processingTime = main.flatMap { format.processingTime($0.processingTime) }
            fees = main.flatMap { format.fees($0.fees) }
        }
    }

    var page: PageContext
    var q: String
    var total: Int
    /// Open the filter panel when a filter is set, so the reader sees why results are few.
    var filtersActive: Bool
    var summary: String
    var fields: [Option]
    var levels: [Option]
    var agencies: [Option]
    var channels: [Option]
    var items: [Item]
    var pager: Pager
}

/// Page links for a result list: previous, next, and a window of page numbers around the current one.
struct Pager: Encodable {
    struct PageLink: Encodable {
        var number: Int
        var url: String
        var current: Bool
    }

    var page: Int
    var pageCount: Int
    var previousURL: String?
    var nextURL: String?
    var pages: [PageLink]
    /// A page after the last one: no results on it, a link back.
    var beyondEnd: Bool
    var shown: Bool

    init(query: CatalogueQuery, result: CataloguePage) {
        func url(_ page: Int) -> String {
            CatalogueController.listURL([
                "q": query.text, "field": query.field, "level": query.level?.rawValue, "agency": query.agency,
                "channel": query.channel?.rawValue, "page": page == 1 ? nil : "\(page)",
                "per": query.per == 20 ? nil : "\(query.per)",
            ])
        }
        page = result.page
        pageCount = result.pageCount
        // A page past the end (a stale bookmark, a crawler) is empty, with a way back to the last page.
        previousURL = result.page > 1 ? url(min(result.page - 1, max(1, result.pageCount))) : nil
        nextURL = result.page < result.pageCount ? url(result.page + 1) : nil
        // The window around the current page, inside 1…pageCount: its bounds never cross.
        let current = min(max(1, result.page), max(1, result.pageCount))
        let low = max(1, current - 2)
        let high = max(low, min(result.pageCount, current + 2))
        pages = result.pageCount > 1 ? (low...high).map { PageLink(number: $0, url: url($0), current: $0 == result.page) } : []
        beyondEnd = result.pageCount > 0 && result.page > result.pageCount
        shown = result.pageCount > 1 || beyondEnd
    }
}

struct ProcedureContext: Encodable {
    struct ChannelRow: Encodable {
        var label: String
        var processingTime: String?
        var fees: String?
        var feeNotes: [String]
        var description: String?
    }

    struct Document: Encodable {
        var name: String
        var template: String?
        var quantity: String
    }

    struct Group: Encodable {
        var title: String?
        var documents: [Document]
    }

    struct Legal: Encodable {
        var number: String?
        var title: String
        var issuedOn: String?
        var issuer: String?
    }

    struct Details: Encodable {
        var code: String
        var name: String
        var version: Int
        var field: String
        var levels: String
        var agency: String
        var kind: String?
        var decisionNumber: String?
        var sourceURL: String?
        var applicantTypes: [String]
        var competentAuthority: String?
        var implementingAgency: String?
        var coordinatingAgency: String?
        var receivingAddress: String?
        var channels: [ChannelRow]
        var channelsText: String?
        var steps: [String]
        var groups: [Group]
        var documentsText: String?
        var requirements: String?
        var results: [String]
        var resultsText: String?
        var legal: [Legal]
        var legalText: String?
        var apiURL: String

        init(
            _ found: CatalogueQueries.FoundProcedure, format: Formatting, localization: Localization,
            language: Language
        ) {
            let procedure = found.procedure
            code = procedure.code
            name = procedure.name
            version = found.version
            field = procedure.field
            levels = procedure.levels.map(format.level).joined(separator: ", ")
            agency = found.agencyName
            kind = procedure.kind
            decisionNumber = procedure.decisionNumber
            sourceURL = procedure.sourceURL.flatMap { $0.hasPrefix("https://") ? $0 : nil }
            applicantTypes = procedure.applicantTypes
            competentAuthority = procedure.competentAuthority
            implementingAgency = procedure.implementingAgency
            coordinatingAgency = procedure.coordinatingAgency
            receivingAddress = procedure.receivingAddress
            channels = (procedure.channels.value ?? []).map { offer in
                ChannelRow(
                    label: format.channel(offer.channel), processingTime: format.processingTime(offer.processingTime),
                    fees: format.fees(offer.fees), feeNotes: (offer.fees.value ?? []).compactMap(\.note),
                    description: offer.description)
            }
            if case .unparsed(let original) = procedure.channels { channelsText = original }
            steps = (procedure.steps ?? "").split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            groups = (procedure.documents.value ?? []).map { group in
                Group(title: group.title, documents: group.documents.map { document in
                    var parts: [String] = []
                    if document.originals > 0 {
                        parts.append(localization.string("document_originals", language, ["n": "\(document.originals)"]))
                    }
                    if document.copies > 0 {
                        parts.append(localization.string("document_copies", language, ["n": "\(document.copies)"]))
                    }
                    return Document(
                        name: document.name, template: document.template,
                        quantity: parts.isEmpty ? localization.string("document_present_only", language)
                            : parts.joined(separator: ", "))
                })
            }
            if case .unparsed(let original) = procedure.documents { documentsText = original }
            requirements = procedure.requirements
            results = (procedure.results.value ?? []).map(\.name)
            if case .unparsed(let original) = procedure.results { resultsText = original }
            legal = (procedure.legalBasis.value ?? []).map {
                Legal(number: $0.number, title: $0.title, issuedOn: $0.issuedOn, issuer: $0.issuer)
            }
            if case .unparsed(let original) = procedure.legalBasis { legalText = original }
            apiURL = SiteURL.api(.procedure(code: procedure.code)).path
        }
    }

    var page: PageContext
    var procedure: Details
    /// What waiting for a supplement does to the deadline, in words.
    var pauseRule: String
    var settingsURL: String?
}
