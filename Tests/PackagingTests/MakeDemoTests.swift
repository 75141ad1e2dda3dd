import Foundation
import Testing

/// `make demo` and `make demo-tasks` keep the job's state (run lock, spool) in the checkout: run as root they must
/// not make the system's /var/lib/modelwatch, which the package creates for its own user.
@Suite("make demo keeps its state in the checkout")
struct MakeDemoTests {
    @Test("every modelwatch command of the demos runs with MODELWATCH_STATE_DIR: the checkout's .build/demo-state, or the caller's",
          .enabled(if: Shell.which("make") != nil), arguments: [nil, "/srv/elsewhere"])
    func stateDirectory(callerSetting: String?) throws {
        let directory = try Shell.temporaryDirectory("mw-make-demo")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.copyItem(atPath: Shell.repositoryRoot + "/Makefile", toPath: directory + "/Makefile")
        var environment = ProcessInfo.processInfo.environment
        environment["MODELWATCH_STATE_DIR"] = callerSetting
        // A dry run prints the recipes without building or running anything.
        let outcome = try Shell.run(["make", "--no-print-directory", "-n", "demo", "demo-tasks"], environment: environment, in: directory)
        #expect(outcome.status == 0, "\(outcome)")
        let commands = outcome.output.split(separator: "\n").filter { $0.contains(".build/debug/modelwatch ") }
        let verbs = ["generate", "profile", "run", "backfill"]
        #expect(verbs.allSatisfy { verb in commands.contains { $0.contains("modelwatch \(verb) ") } }, "\(commands)")
        let expected = "MODELWATCH_STATE_DIR=\(callerSetting ?? directory + "/.build/demo-state") .build/debug/modelwatch "
        for command in commands {
            #expect(command.contains(expected), "\(command)")
        }
    }
}
