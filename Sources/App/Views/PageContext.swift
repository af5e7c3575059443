import Domain
import Vapor

/// What every page's layout needs: the reader's language, the language switch and the site links. Interface
/// strings are looked up by the templates themselves (`#t("key")`, `LocalizedTag`).
struct PageContext: Encodable {
    var lang: String
    var title: String
    /// The switch to the other language, returning to this page.
    var switchLanguage: Link
    var homeURL: String
    var proceduresURL: String
    var signedIn: Bool
    /// The administration link, for those the access policy lets open it (the pages decide what each then sees).
    var administers: Bool
    /// Shown beside the notifications link; 0 hides the count.
    var unread: Int
    /// "Send it again": the form below was refused because its anti-forgery token was lost, and kept.
    var formExpired: String?
    /// What the form just sent did (`Notice`), after its redirect.
    var notice: String?

    struct Link: Encodable {
        var label: String
        var url: String
        var lang: String
    }

    init(request: Request, title: String) {
        let language = request.language
        let other: Language = language == .vi ? .en : .vi
        let here = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
        var switchURL = URLComponents()
        switchURL.path = SiteURL.language(other.rawValue).path
        switchURL.queryItems = [URLQueryItem(name: "next", value: here)]
        self.lang = language.rawValue
        self.title = title
        self.switchLanguage = Link(
            label: request.application.localization.string("language_name", other),
            url: switchURL.string ?? SiteURL.language(other.rawValue).path, lang: other.rawValue)
        self.homeURL = SiteURL.home.path
        self.proceduresURL = SiteURL.procedures.path
        self.signedIn = request.account != nil
        self.administers = request.knownActor.map { AccessPolicy.mayOpenAdministration($0).isAllowed } ?? false
        self.unread = request.unreadNotifications
        self.formExpired = request.formExpired ? request.localized("form_expired") : nil
        self.notice = Notice(request).map { request.localized($0.localizationKey) }
    }
}

struct ErrorPageContext: Encodable {
    var page: PageContext
    var status: Int
    var message: String
}

/// A form's problem as the summary at the top lists it: a link to the field, with the field's message.
struct FormProblem: Encodable, Equatable {
    var field: String
    var message: String
}

/// A page with a form: the one pattern every form follows (issue 10, item 9). The problems are listed at the top
/// in the order of the form (`form-problems.leaf`, focused on arrival), each field carries `aria-invalid` and
/// `aria-describedby` to its message, and the title says first that the form was not sent.
protocol FormPageContext: Encodable {
    var page: PageContext { get set }
    var errors: [String: String] { get }
    var problems: [FormProblem] { get set }
}

extension FormPageContext {
    /// Lists `errors` as the summary, `order` first (the fields as the form shows them), then any others.
    mutating func listProblems(order: [String], _ req: Request) {
        var seen: Set<String> = []
        let fields = (order + errors.keys.sorted()).filter { errors[$0] != nil && seen.insert($0).inserted }
        problems = fields.compactMap { field in errors[field].map { FormProblem(field: field, message: $0) } }
        if !problems.isEmpty { page.title = req.localized("title_error_prefix") + page.title }
    }
}
