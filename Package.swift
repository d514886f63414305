// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "dlntui",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dlntui", targets: ["dlntui"]),
        .library(name: "DLNEngine", targets: ["DLNEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Generated-input (property) tests: the fuzzing of parsers that issue 4 asks for.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // Counts malloc calls, so a test can show that a step allocates nothing (issue 7).
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
        // The study spec (SPEC.toml) of `dlntui sweep` (issue 14).
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        // Layer 1: the system libraries, as thin as Swift allows.
        .systemLibrary(name: "CLinearAlgebra", path: "Sources/CLinearAlgebra"),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // CPUID, XGETBV and the re-execution for the BLAS kernel choice (issue 13).
        .target(name: "CCPUFeatures"),
        // Kernels with an AVX-512 path chosen at run time (the tracking SVD's rotations, issue 13).
        .target(name: "CKernels"),
        // The tty saved before curses and the signal handlers that restore it: C compiled once, so
        // its state exists once (terminal_guard.c says why a header could not hold it).
        .target(name: "CTerminalGuard"),
        // Layer 2: the numerical engine; no terminal code, no printing.
        .target(name: "DLNEngine", dependencies: ["CLinearAlgebra", "CCPUFeatures", "CKernels"]),
        // Charts in data coordinates (axes, ticks, series styles, legends) and their SVG renderer:
        // no engine, no terminal, so the dashboard and figures draw the same charts.
        .target(name: "DLNCharts"),
        // Output: rows (CSV/JSONL), sidecars, atomic files, the headless run, benchmarks (files, never a terminal).
        .target(name: "DLNOutput", dependencies: ["DLNEngine"]),
        // Studies: ensembles and sweeps of many runs, their summaries, plans for GNU parallel and Slurm.
        .target(
            name: "DLNStudy",
            dependencies: ["DLNEngine", "DLNOutput", .product(name: "TOMLKit", package: "TOMLKit")]),
        // Figures: row files read back, the run's and a study's charts, written as SVG.
        .target(name: "DLNFigures", dependencies: ["DLNEngine", "DLNOutput", "DLNCharts"]),
        // Layer 3: the terminal front end: cell buffer, widgets, layout, themes, keys, ncurses.
        .target(name: "DLNTerminal", dependencies: ["DLNEngine", "DLNOutput", "DLNStudy", "DLNCharts", "DLNFigures", "CNcurses", "CTerminalGuard", "CMalloc"]),
        // Layer 4: argument parsing and wiring; the commands are a library so tests can parse with them.
        .target(
            name: "DLNCommands",
            dependencies: [
                "DLNEngine", "DLNOutput", "DLNStudy", "DLNTerminal", "DLNFigures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "dlntui", dependencies: ["DLNCommands", "DLNEngine"]),
        // Fixed-seed generation for the fuzz tests of every test target.
        .target(
            name: "DLNTestSupport",
            dependencies: [.product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "DLNEngineTests",
            dependencies: ["DLNEngine", "CLinearAlgebra", "CKernels", "DLNTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        // A per-thread malloc tally fed by malloc-interposer's hook (C: Swift has no thread-local
        // storage that does not itself allocate).
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        // Thread-directed signals for the suspend test (tgkill is a bare syscall).
        .target(name: "ThreadSignal", path: "Tests/ThreadSignal"),
        .testTarget(
            name: "DLNAllocationTests",
            dependencies: [
                "DLNEngine", "AllocationCounter",
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ]),
        .testTarget(
            name: "DLNHeadlessTests",
            dependencies: [
                "DLNEngine", "DLNOutput", "DLNStudy", "DLNCommands", "DLNTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            // Rows recorded before the redesign, read by GoldenRowsTests from the source tree.
            exclude: ["Golden"]),
        .testTarget(
            name: "DLNChartsTests",
            dependencies: [
                "DLNCharts", "DLNFigures", "DLNTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "DLNTerminalTests",
            dependencies: [
                "DLNEngine", "DLNStudy", "DLNTerminal", "DLNCharts", "DLNFigures", "DLNTestSupport", "ThreadSignal",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
    ]
)
