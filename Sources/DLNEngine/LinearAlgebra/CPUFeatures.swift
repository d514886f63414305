import CCPUFeatures

/// What the processor is and which vector instruction sets it and the operating system support:
/// the input, with the kernel OpenBLAS chose, of `KernelChoice.decide`. A plain value so tests can
/// describe any machine; `current()` reads this one (CPUID and XGETBV).
public struct CPUFeatures: Sendable, Equatable {
    /// False on anything but x86: OpenBLAS's kernel names and `OPENBLAS_CORETYPE` below are x86's.
    public var isX86: Bool
    /// CPUID leaf 0: "GenuineIntel", "AuthenticAMD", ...
    public var vendor: String
    /// CPUID leaf 0x80000002-4, e.g. "AMD EPYC 9R14 96-Core Processor".
    public var brand: String
    /// Display family and model (base plus extended fields, as the vendors define them).
    public var family: Int
    public var model: Int
    public var stepping: Int
    // CPUID feature bits (leaf 1 ECX; leaf 7 subleaf 0 EBX; leaf 7 subleaf 1 EAX).
    public var avx: Bool
    public var fma: Bool
    public var avx2: Bool
    public var avx512f: Bool
    public var avx512dq: Bool
    public var avx512bw: Bool
    public var avx512vl: Bool
    public var avx512bf16: Bool
    /// XCR0 bits 1 and 2: the OS saves the SSE and AVX (YMM) state, so AVX code may run.
    public var osSavesYMM: Bool
    /// XCR0 bits 5, 6 and 7: the OS also saves the opmask and ZMM state, so AVX-512 code may run.
    public var osSavesZMM: Bool

    public init(
        isX86: Bool = true, vendor: String = "", brand: String = "", family: Int = 0, model: Int = 0,
        stepping: Int = 0, avx: Bool = false, fma: Bool = false, avx2: Bool = false, avx512f: Bool = false,
        avx512dq: Bool = false, avx512bw: Bool = false, avx512vl: Bool = false, avx512bf16: Bool = false,
        osSavesYMM: Bool = false, osSavesZMM: Bool = false
    ) {
        self.isX86 = isX86
        self.vendor = vendor
        self.brand = brand
        self.family = family
        self.model = model
        self.stepping = stepping
        self.avx = avx
        self.fma = fma
        self.avx2 = avx2
        self.avx512f = avx512f
        self.avx512dq = avx512dq
        self.avx512bw = avx512bw
        self.avx512vl = avx512vl
        self.avx512bf16 = avx512bf16
        self.osSavesYMM = osSavesYMM
        self.osSavesZMM = osSavesZMM
    }

    public var isAMD: Bool { vendor == "AuthenticAMD" }
    public var isIntel: Bool { vendor == "GenuineIntel" }

    /// AVX2 and FMA, with the OS saving the YMM registers: what OpenBLAS's Haswell and Zen kernels need.
    public var usableAVX2: Bool { isX86 && avx && avx2 && fma && osSavesYMM }

    /// AVX-512 F, DQ, BW and VL, with the OS saving the ZMM and opmask registers: what the SkylakeX
    /// kernels need (and Cooperlake's, plus BF16).
    public var usableAVX512: Bool {
        usableAVX2 && avx512f && avx512dq && avx512bw && avx512vl && osSavesZMM
    }

    /// The names of the usable vector extensions, for reports ("avx2 fma avx512f ...").
    public var featureList: [String] {
        var out: [String] = []
        if avx { out.append("avx") }
        if avx2 { out.append("avx2") }
        if fma { out.append("fma") }
        if avx512f { out.append("avx512f") }
        if avx512dq { out.append("avx512dq") }
        if avx512bw { out.append("avx512bw") }
        if avx512vl { out.append("avx512vl") }
        if avx512bf16 { out.append("avx512_bf16") }
        return out
    }

    /// This machine's, read once.
    public static let current: CPUFeatures = read()

    private static func read() -> CPUFeatures {
        guard dln_cpu_is_x86() != 0 else { return CPUFeatures(isX86: false) }
        var f = CPUFeatures()
        let zero = dln_cpuid(0, 0)
        f.vendor = ascii([zero.ebx, zero.edx, zero.ecx])
        let one = dln_cpuid(1, 0)
        let baseFamily = Int((one.eax >> 8) & 0xF), baseModel = Int((one.eax >> 4) & 0xF)
        let extFamily = Int((one.eax >> 20) & 0xFF), extModel = Int((one.eax >> 16) & 0xF)
        // Intel SDM and AMD APM: the extended family adds only when the base family is 15; the
        // extended model is prepended for families 6 and 15.
        f.family = baseFamily == 0xF ? baseFamily + extFamily : baseFamily
        f.model = baseFamily == 0x6 || baseFamily == 0xF ? (extModel << 4) | baseModel : baseModel
        f.stepping = Int(one.eax & 0xF)
        f.fma = one.ecx & (1 << 12) != 0
        f.avx = one.ecx & (1 << 28) != 0
        let seven = dln_cpuid(7, 0)
        f.avx2 = seven.ebx & (1 << 5) != 0
        f.avx512f = seven.ebx & (1 << 16) != 0
        f.avx512dq = seven.ebx & (1 << 17) != 0
        f.avx512bw = seven.ebx & (1 << 30) != 0
        f.avx512vl = seven.ebx & (1 << 31) != 0
        // Subleaf 1 exists only if subleaf 0's EAX says so.
        f.avx512bf16 = seven.eax >= 1 && dln_cpuid(7, 1).eax & (1 << 5) != 0
        let xcr0 = dln_xgetbv0()
        f.osSavesYMM = xcr0 & 0x6 == 0x6
        f.osSavesZMM = xcr0 & 0xE6 == 0xE6
        var brandWords: [UInt32] = []
        for leaf: UInt32 in 0x8000_0002...0x8000_0004 {
            let r = dln_cpuid(leaf, 0)
            brandWords += [r.eax, r.ebx, r.ecx, r.edx]
        }
        f.brand = ascii(brandWords).trimmingSpaces
        return f
    }

    /// Registers hold four characters each, lowest byte first; the brand string is NUL-padded.
    private static func ascii(_ words: [UInt32]) -> String {
        var bytes: [UInt8] = []
        for w in words {
            for i in 0..<4 { bytes.append(UInt8((w >> (8 * UInt32(i))) & 0xFF)) }
        }
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
