import Domain
import NIOPosix
import Vapor

/// bcrypt hashing off the event loop (a hash takes a few hundred milliseconds by design), on threads of its own:
/// a burst of sign-ins queues behind itself, not in front of every database query, which runs on the
/// application's thread pool.
enum Passwords {
    static func hash(_ password: String, in app: Application) async throws -> String {
        try await hash(password, cost: app.config.bcryptCost, on: app)
    }

    /// A hash nobody knows the password of: for accounts whose owner chooses theirs through a link, or signs in
    /// only through the identity provider.
    static func unusable(in app: Application) async throws -> String {
        try await hash(Sessions.randomToken(), in: app)
    }

    /// Hashes the NFC form, so the same password typed on another keyboard (composed or combining accents) matches.
    static func hash(_ password: String, cost: Int, on app: Application) async throws -> String {
        let normalized = Passwords.normalized(password)
        return try await app.passwordHashing.runIfActive { try Bcrypt.hash(normalized, cost: cost) }
    }

    /// NFC, for any password that could have been set (at most 72 bytes); a longer text, which matches nothing, is
    /// left as it is rather than spend time normalizing it.
    static func normalized(_ password: String) -> String {
        password.utf8.count > PasswordPolicy.maximumBytes * 8 ? password : TextInput.normalized(password)
    }

    /// Whether `password` matches `hash`. With no hash (no such account) it still spends the time of a check, so
    /// the answer's timing does not reveal which emails have accounts.
    static func verify(_ password: String, against hash: String?, in app: Application) async throws -> Bool {
        let cost = app.config.bcryptCost
        let normalized = Passwords.normalized(password)
        return try await app.passwordHashing.runIfActive {
            guard let hash else {
                _ = try Bcrypt.hash(normalized, cost: cost)
                return false
            }
            // A NUL would end the C string bcrypt reads: "a\0anything" must not pass for "a".
            guard !normalized.utf8.contains(0) else { return false }
            if (try? Bcrypt.verify(normalized, created: hash)) == true { return true }
            // Hashes made before passwords were normalized: the text as typed.
            return normalized != password && (try? Bcrypt.verify(password, created: hash)) == true
        }
    }
}

extension Application {
    private struct PasswordHashingKey: StorageKey {
        typealias Value = NIOThreadPool
    }

    private struct PasswordPolicyKey: StorageKey {
        typealias Value = PasswordPolicy
    }

    /// The rules for new passwords, with the common-password list read at start (`loadPasswordPolicy`).
    var passwordPolicy: PasswordPolicy {
        get { storage[PasswordPolicyKey.self] ?? PasswordPolicy(commonPasswords: []) }
        set { storage[PasswordPolicyKey.self] = newValue }
    }

    /// Reads `Resources/Security/common-passwords.txt` (one a line).
    func loadPasswordPolicy() throws {
        let path = directory.resourcesDirectory + "Security/common-passwords.txt"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        passwordPolicy = PasswordPolicy(commonPasswords: text.split(whereSeparator: \.isNewline).map(String.init))
    }

    /// The threads bcrypt runs on (see `startPasswordHashing`); the application's pool before it is started.
    var passwordHashing: NIOThreadPool {
        storage[PasswordHashingKey.self] ?? threadPool
    }

    /// Starts bcrypt's threads, one per core since hashing is pure computation; they stop with the application.
    func startPasswordHashing() {
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        storage.set(PasswordHashingKey.self, to: pool) { try $0.syncShutdownGracefully() }
    }
}
