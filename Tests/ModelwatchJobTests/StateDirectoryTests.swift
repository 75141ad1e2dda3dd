import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import Testing
#if canImport(Glibc)
import Glibc
#endif
#if canImport(CoreFoundation)
import CoreFoundation
#endif
#if canImport(CDispatch)
import CDispatch
#endif

@Suite("The state directory: where the lock, the spool, dead letters and checkpoints live")
struct StateDirectoryTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let environment: [String: String]
        let uid: UInt32
        let passwordHome: String?
        let root: String
        let origin: String
        var testDescription: String { "uid \(uid), \(environment.keys.sorted()) → \(root)" }
    }

    @Test("the root comes from MODELWATCH_STATE_DIR, then systemd's STATE_DIRECTORY, then /var/lib/modelwatch for root, then XDG", arguments: [
        Case(environment: ["MODELWATCH_STATE_DIR": "/srv/mw/", "STATE_DIRECTORY": "/var/lib/x"], uid: 0, passwordHome: nil, root: "/srv/mw", origin: "MODELWATCH_STATE_DIR"),
        Case(environment: ["STATE_DIRECTORY": "/var/lib/modelwatch:/var/lib/other", "HOME": "/home/a"], uid: 998, passwordHome: nil, root: "/var/lib/modelwatch", origin: "STATE_DIRECTORY"),
        Case(environment: ["HOME": "/root", "XDG_STATE_HOME": "/root/.st"], uid: 0, passwordHome: "/root", root: "/var/lib/modelwatch", origin: "root"),
        Case(environment: ["HOME": "/home/a", "XDG_STATE_HOME": "/home/a/st"], uid: 1000, passwordHome: nil, root: "/home/a/st/modelwatch", origin: "XDG_STATE_HOME"),
        Case(environment: ["HOME": "/home/a", "XDG_STATE_HOME": "relative/st"], uid: 1000, passwordHome: nil, root: "/home/a/.local/state/modelwatch", origin: "XDG_STATE_HOME"),
        Case(environment: ["HOME": "/home/a"], uid: 1000, passwordHome: "/home/b", root: "/home/a/.local/state/modelwatch", origin: "XDG_STATE_HOME"),
        Case(environment: [:], uid: 1000, passwordHome: "/home/b", root: "/home/b/.local/state/modelwatch", origin: "XDG_STATE_HOME"),
    ])
    func resolution(_ c: Case) throws {
        let state = try StateDirectory.resolve(environment: c.environment, effectiveUserID: c.uid, passwordHome: { c.passwordHome })
        #expect(state.root == c.root)
        #expect(state.origin == c.origin)
    }

    @Test("without any home, and with a relative MODELWATCH_STATE_DIR, the error names MODELWATCH_STATE_DIR")
    func unresolvable() {
        for environment in [[:], ["MODELWATCH_STATE_DIR": "state"]] {
            do {
                _ = try StateDirectory.resolve(environment: environment, effectiveUserID: 1000, passwordHome: { nil })
                Issue.record("resolved without a home: \(environment)")
            } catch {
                #expect(error.key == "MODELWATCH_STATE_DIR", "\(error)")
            }
        }
    }

    @Test("each config file gets its own directory, named after the file")
    func perConfigDirectories() {
        let state = StateDirectory(root: "/var/lib/modelwatch", origin: "root")
        let a = state.directory(forConfig: "/etc/modelwatch/models.yaml")
        let b = state.directory(forConfig: "/etc/modelwatch/fraud.yaml")
        let c = state.directory(forConfig: "/srv/other/models.yaml")
        #expect(a.hasPrefix("/var/lib/modelwatch/models-"))
        #expect(b.hasPrefix("/var/lib/modelwatch/fraud-"))
        #expect(Set([a, b, c]).count == 3)
        #expect(state.directory(forConfig: "/etc/modelwatch/../modelwatch/models.yaml") == a, "the same file, however it is spelled")
        #expect(state.directory(forConfig: "/tmp/we ird;$(x).yaml").hasPrefix("/var/lib/modelwatch/we_ird___x_-"))
    }

    @Test("backfill checkpoints and the run lock share the config's state directory; spool_dir and dead_letter still win")
    func configuredPathsWin() throws {
        let state = StateDirectory(root: "/srv/state", origin: "test")
        let yaml = """
            delivery:
              spool_dir: /var/spool/mw
              dead_letter: dead.lp
            models:
              - name: m
                window: 1h
                maturity: 1h
                scores: {path: s.csv, columns: {}}
                labels: {path: l.csv, columns: {}}
            """
        let configuration = try ConfigLoader.parse(yaml: yaml, file: "/etc/mw/m.yaml", environment: [:], stateRoot: state)
        #expect(configuration.stateDirectory == state.directory(forConfig: "/etc/mw/m.yaml"))
        #expect(configuration.delivery.spoolDirectory == "/var/spool/mw")
        #expect(configuration.delivery.deadLetterPath == "/etc/mw/dead.lp")
    }
}

@Suite("The run lock is safe in its directory")
struct RunLockTests {
    static func configuration(in directory: TemporaryDirectory) throws -> JobConfiguration {
        let yaml = """
            models:
              - name: m
                window: 1h
                maturity: 1h
                scores: {path: s.csv, columns: {}}
                labels: {path: l.csv, columns: {}}
            """
        return try ConfigLoader.parse(yaml: yaml, file: directory.file("m.yaml"), environment: [:],
                                      stateRoot: StateDirectory(root: directory.file("state"), origin: "test"))
    }

    @Test("the lock is created 0600 in a 0700 state directory, holds the PID only once locked, and a second holder gets exit 75")
    func createsPrivateLock() throws {
        let directory = TemporaryDirectory()
        let configuration = try Self.configuration(in: directory)
        let lock = try RunLock(configuration: configuration)
        #expect(lock.path == configuration.stateDirectory + "/run.lock")
        var status = stat()
        #expect(stat(lock.path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
        #expect(stat(configuration.stateDirectory, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o700)
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid())\n")
        do {
            _ = try RunLock(configuration: configuration)
            Issue.record("a second lock was granted")
        } catch {
            #expect(error.status == .temporaryFailure)
            #expect(error.message.contains(lock.path))
        }
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid())\n", "the refused run did not touch the file")
        withExtendedLifetime(lock) {}
    }

    @Test("a symbolic link planted at the lock path is a config error naming it, and its target is left untouched")
    func symlinkIsRefused() throws {
        let directory = TemporaryDirectory()
        let configuration = try Self.configuration(in: directory)
        let victim = directory.file("victim.txt")
        try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)
        let lockPath = configuration.stateDirectory + "/run.lock"
        #expect(symlink(victim, lockPath) == 0)
        // A dangling link must not create its target either.
        let absent = directory.file("absent.txt")
        for target in [victim, absent] {
            unlink(lockPath)
            #expect(symlink(target, lockPath) == 0)
            do {
                _ = try RunLock(configuration: configuration)
                Issue.record("a symbolic link was followed to \(target)")
            } catch {
                #expect(error.status == .configError)
                #expect(error.message.contains(lockPath) && error.message.contains("symbolic link"), "\(error.message)")
            }
        }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        #expect(!FileManager.default.fileExists(atPath: absent))
    }

    @Test("a state directory that is a symbolic link is refused before anything is created through it")
    func symlinkedStateDirectoryIsRefused() throws {
        let directory = TemporaryDirectory()
        let configuration = try Self.configuration(in: directory)
        let elsewhere = directory.file("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.file("state"), withIntermediateDirectories: true)
        #expect(symlink(elsewhere, configuration.stateDirectory) == 0)
        do {
            _ = try RunLock(configuration: configuration)
            Issue.record("the linked state directory was used")
        } catch {
            #expect(error.status == .configError)
            #expect(error.message.contains(configuration.stateDirectory), "\(error.message)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
    }

    @Test("a FIFO at the lock path is refused without blocking")
    func fifoIsRefused() throws {
        let directory = TemporaryDirectory()
        let configuration = try Self.configuration(in: directory)
        try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)
        #expect(mkfifo(configuration.stateDirectory + "/run.lock", 0o600) == 0)
        do {
            _ = try RunLock(configuration: configuration)
            Issue.record("a FIFO was accepted as the lock")
        } catch {
            #expect(error.status == .configError)
            #expect(error.message.contains("not a regular file"), "\(error.message)")
        }
    }

    @Test("a lock file owned by another user is a config error that names the path and the owner", .enabled(if: geteuid() == 0, "needs root to give the file away"))
    func otherOwnerIsRefused() throws {
        let directory = TemporaryDirectory()
        let configuration = try Self.configuration(in: directory)
        try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true)
        let lockPath = configuration.stateDirectory + "/run.lock"
        try "4242\n".write(toFile: lockPath, atomically: false, encoding: .utf8)
        #expect(chown(lockPath, 65534, 65534) == 0)
        do {
            _ = try RunLock(configuration: configuration)
            Issue.record("another user's lock was used")
        } catch {
            #expect(error.status == .configError)
            #expect(error.message.contains(lockPath) && error.message.contains("uid 65534"), "\(error.message)")
        }
        #expect(try String(contentsOfFile: lockPath, encoding: .utf8) == "4242\n", "not truncated")
    }
}
