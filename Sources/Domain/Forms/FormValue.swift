import Foundation

/// What a filled form holds: texts, lists (the entries of a repeatable group, the answers of a multiple choice) and
/// records (a section, a group entry, an address, a date typed in three boxes). The same tree comes from a web form
/// (`init(flat:)`) and from API JSON, whose numbers and booleans arrive as their text.
public indirect enum FormValue: Sendable, Equatable, Hashable {
    case text(String)
    case list([FormValue])
    case record([String: FormValue])

    public static let empty = FormValue.record([:])

    public subscript(key: String) -> FormValue? {
        if case .record(let fields) = self { return fields[key] }
        return nil
    }

    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The value at a dotted path with list indexes (`members[1].fullName`), if there is one.
    public func value(at path: String) -> FormValue? {
        guard let segments = FormPath.segments(path) else { return nil }
        var current: FormValue? = self
        for segment in segments {
            switch (segment, current) {
            case (.key(let key), .record(let fields)?): current = fields[key]
            case (.index(let index), .list(let items)?): current = items.indices.contains(index) ? items[index] : nil
            default: return nil
            }
        }
        return current
    }

    /// Whether nothing was typed: an empty or blank text, or a list or record of nothing but that.
    public var isBlank: Bool {
        switch self {
        case .text(let text): text.allSatisfy(\.isWhitespace)
        case .list(let items): items.allSatisfy(\.isBlank)
        case .record(let fields): fields.values.allSatisfy(\.isBlank)
        }
    }

    /// Every text in NFC, so that what a draft keeps compares equal however the browser composed it.
    public var normalized: FormValue {
        switch self {
        case .text(let text): .text(TextInput.normalized(text, multiline: true))
        case .list(let items): .list(items.map(\.normalized))
        case .record(let fields): .record(fields.mapValues(\.normalized))
        }
    }

    /// Texts in the tree, and lists and records counted as one each: what decoding bounded.
    public var size: Int {
        switch self {
        case .text: 1
        case .list(let items): items.reduce(1) { $0 + $1.size }
        case .record(let fields): fields.values.reduce(1) { $0 + $1.size }
        }
    }
}

extension FormValue: Codable {
    /// JSON strings, numbers and booleans become texts; `null` is no value (a record leaves the key out).
    public init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var items: [FormValue] = []
            while !array.isAtEnd {
                if try array.decodeNil() { items.append(.text("")) } else { items.append(try array.decode(FormValue.self)) }
            }
            self = .list(items)
        } else if let object = try? decoder.container(keyedBy: AnyKey.self) {
            var fields: [String: FormValue] = [:]
            for key in object.allKeys where !(try object.decodeNil(forKey: key)) {
                fields[key.stringValue] = try object.decode(FormValue.self, forKey: key)
            }
            self = .record(fields)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self = .text("")
            } else if let bool = try? single.decode(Bool.self) {
                self = .text(bool ? "yes" : "no")
            } else if let whole = try? single.decode(Int64.self) {
                self = .text(String(whole))
            } else if let number = try? single.decode(Decimal.self) {
                self = .text("\(number)")
            } else {
                self = .text(try single.decode(String.self))
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .text(let text):
            var single = encoder.singleValueContainer()
            try single.encode(text)
        case .list(let items):
            var array = encoder.unkeyedContainer()
            for item in items { try array.encode(item) }
        case .record(let fields):
            var object = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
                try object.encode(value, forKey: AnyKey(key))
            }
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension FormValue {
    /// The tree a web form posts as flat names (`child.fullName`, `members[0].birthDate.day`). Names that are no
    /// path, indexes past `FormLimits.mostItems`, and names past `FormLimits.mostPostedNames`, are left out: the form never writes them. Entries keep the
    /// order of their indexes, and a gap closes up, so `members[7]` alone is the first entry, never eight.
    public init(flat: [(name: String, value: String)]) {
        var root = Node.record([:])
        for (name, value) in flat.prefix(FormLimits.mostPostedNames) {
            guard let segments = FormPath.segments(name), !segments.isEmpty,
                segments.allSatisfy({ if case .index(let i) = $0 { i < FormLimits.mostItems } else { true } })
            else { continue }
            root.insert(value, at: segments[...])
        }
        self = root.value
    }

    /// A tree under construction: list entries by index until the end, so that a sparse index allocates nothing.
    private indirect enum Node {
        case leaf(String)
        case record([String: Node])
        case list([Int: Node])

        mutating func insert(_ text: String, at path: ArraySlice<FormPath.Segment>) {
            guard let first = path.first else { return }
            let rest = path.dropFirst()
            switch (first, self) {
            case (.key(let key), .record(var fields)):
                guard let child = Self.placed(text, at: rest, into: fields[key]) else { return }
                fields[key] = child
                self = .record(fields)
            case (.index(let index), .list(var items)):
                guard let child = Self.placed(text, at: rest, into: items[index]) else { return }
                items[index] = child
                self = .list(items)
            default:
                return  // `a.b` after `a` was a text, or `a[0]` after `a.b`: the first shape wins
            }
        }

        /// What `existing` becomes with `text` placed at `rest` under it; nil when nothing changes (a repeated
        /// name: the first one counts).
        static func placed(_ text: String, at rest: ArraySlice<FormPath.Segment>, into existing: Node?) -> Node? {
            guard let next = rest.first else { return existing == nil ? .leaf(text) : nil }
            var node = existing ?? empty(for: next)
            node.insert(text, at: rest)
            return node
        }

        static func empty(for segment: FormPath.Segment) -> Node {
            if case .index = segment { .list([:]) } else { .record([:]) }
        }

        var value: FormValue {
            switch self {
            case .leaf(let text): .text(text)
            case .record(let fields): .record(fields.mapValues(\.value))
            case .list(let items): .list(items.sorted { $0.key < $1.key }.map(\.value.value))
            }
        }
    }
}

/// Paths into a form: keys joined by dots, list entries as `[n]`.
public enum FormPath {
    public enum Segment: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    /// Nil when `path` is not one: an empty key, a non-numeric or over-long index, stray brackets.
    public static func segments(_ path: String) -> [Segment]? {
        guard path.utf8.count <= 300 else { return nil }
        var segments: [Segment] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let bracket = rest.firstIndex(of: "[") ?? rest.endIndex
            let key = rest[..<bracket]
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                return nil
            }
            segments.append(.key(String(key)))
            rest = rest[bracket...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
                let digits = rest[rest.index(after: rest.startIndex)..<close]
                guard (1...4).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                    let index = Int(digits)
                else { return nil }
                segments.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        return segments
    }

    public static func joined(_ base: String, _ key: String) -> String { base.isEmpty ? key : base + "." + key }

    public static func indexed(_ base: String, _ index: Int) -> String { base + "[\(index)]" }
}
