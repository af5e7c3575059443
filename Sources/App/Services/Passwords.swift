import Vapor

/// bcrypt hashing off the event loop (a hash takes a few hundred milliseconds by design).
enum Passwords {
    static func hash(_ password: String, on request: Request) async throws -> String {
        let cost = request.application.config.bcryptCost
        return try await request.application.threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`. With no hash (no such account) it still spends the time of a check, so
    /// the answer's timing does not reveal which emails have accounts.
    static func verify(_ password: String, against hash: String?, on request: Request) async throws -> Bool {
        let cost = request.application.config.bcryptCost
        return try await request.application.threadPool.runIfActive {
            guard let hash else {
                _ = try Bcrypt.hash(password, cost: cost)
                return false
            }
            return (try? Bcrypt.verify(password, created: hash)) ?? false
        }
    }
}
