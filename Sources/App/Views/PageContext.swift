import Vapor

/// What every page's layout needs: the strings of the reader's language, the language switch and the site links.
struct PageContext: Encodable {
    var t: [String: String]
    var lang: String
    var title: String
    /// The switch to the other language, returning to this page.
    var switchLanguage: Link
    var homeURL: String
    var proceduresURL: String
    var signedIn: Bool
    /// Officers get the administration link (the pages themselves decide what each may see).
    var officer: Bool
    /// Shown beside the notifications link; 0 hides the count.
    var unread: Int

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
        self.t = request.application.localization.table(language)
        self.lang = language.rawValue
        self.title = title
        self.switchLanguage = Link(
            label: request.application.localization.string("language_name", other),
            url: switchURL.string ?? SiteURL.language(other.rawValue).path, lang: other.rawValue)
        self.homeURL = SiteURL.home.path
        self.proceduresURL = SiteURL.procedures.path
        self.signedIn = request.account != nil
        self.officer = request.account?.kind == .officer
        self.unread = request.unreadNotifications
    }
}

struct ErrorPageContext: Encodable {
    var page: PageContext
    var status: Int
    var message: String
}
