import Leaf
import Vapor

/// `#t("key")` in a template: the interface string in the reader's language, looked up when the page is drawn.
/// Pages once carried the whole localization table in their context, and encoding a few hundred strings into
/// every page's data was most of a public page's cost; a lookup per string used costs nothing.
struct LocalizedTag: LeafTag {
    struct Misuse: Error, CustomStringConvertible {
        var description: String { "#t needs one string parameter, the localization key" }
    }

    func render(_ context: LeafContext) throws -> LeafData {
        guard context.parameters.count == 1, let key = context.parameters[0].string else { throw Misuse() }
        guard let request = context.request else { return .string(key) }
        return .string(request.localized(key))
    }
}
