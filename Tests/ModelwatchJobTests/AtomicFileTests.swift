import Dispatch
import Foundation
@testable import ModelwatchJob
import Testing
import TestSupport

/// `AtomicFile` writes a file whole through a temporary file of its own: writers of one path at the same time
/// (the tests' parallel runs of one configuration, two processes) must not remove or rename each other's.
@Suite("Writing a file whole")
struct AtomicFileTests {
    @Test("writers of one path at the same time all succeed, and the file is one of their contents, whole")
    func concurrentWriters() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("state/window.state")
        let contents = (0..<8).map { writer in Array(String(repeating: "writer \(writer)\n", count: 200).utf8) }
        let failures = DispatchQueue(label: "failures")
        nonisolated(unsafe) var errors: [String] = []
        DispatchQueue.concurrentPerform(iterations: 8) { writer in
            for _ in 0..<40 {
                do {
                    try AtomicFile.write(contents[writer], to: path)
                } catch {
                    failures.sync { errors.append("\(error)") }
                }
            }
        }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        let final = try #require(FileManager.default.contents(atPath: path))
        #expect(contents.contains(Array(final)))
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.file("state")).filter { $0 != "window.state" }
        #expect(left.isEmpty, "\(left)")
    }

    @Test("a temporary file left by a process that is gone is removed; one of a live process, or not a leftover, stays")
    func leftovers() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("window.state")
        let gone = ".window.state.tmp-99999999"  // above any pid_max: no such process
        let goneNumbered = ".window.state.tmp-99999998-4"
        let live = ".window.state.tmp-\(getppid())-2"  // the test runner's parent is alive
        let other = ".window.state.tmp-notes"
        for name in [gone, goneNumbered, live, other] {
            try "left".write(toFile: directory.file(name), atomically: false, encoding: .utf8)
        }
        try AtomicFile.write(Array("new\n".utf8), to: path)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        #expect(names == ["window.state", live, other])
        #expect(AtomicFile.leftoverOwner("123") == 123 && AtomicFile.leftoverOwner("123-7") == 123)
        #expect(AtomicFile.leftoverOwner("notes") == nil && AtomicFile.leftoverOwner("12x") == nil && AtomicFile.leftoverOwner("") == nil)
    }
}
