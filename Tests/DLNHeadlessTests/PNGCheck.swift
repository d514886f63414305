import Foundation

/// A PNG rendered by a real renderer (rsvg-convert), measured: its size and how much of it is ink.
/// The pixels are decoded by Python's standard library (zlib and the PNG row filters), which the
/// test machine has; Foundation on Linux has no inflate.
struct PNGFacts {
    var width: Int
    var height: Int
    /// Pixels that are not (near) white.
    var inked: Int
    /// Distinct colours among the inked pixels (quantised to 5 bits a channel).
    var colours: Int

    static let script = """
    import sys, zlib, struct
    data = open(sys.argv[1], 'rb').read()
    assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
    pos, idat, w, h, depth, ctype = 8, b'', 0, 0, 0, 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
        if kind == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        elif kind == b'IDAT': idat += body
    assert depth == 8 and ctype in (2, 6)
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat); stride = w * bpp; prev = bytearray(stride); rows = []; i = 0
    for _ in range(h):
        f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
        rows.append(line); prev = line
    inked = 0; colours = set()
    for line in rows:
        for x in range(0, stride, bpp):
            r, g, b = line[x], line[x + 1], line[x + 2]; alpha = line[x + 3] if bpp == 4 else 255
            if alpha > 128 and min(r, g, b) < 235:
                inked += 1; colours.add((r >> 3, g >> 3, b >> 3))
    print(w, h, inked, len(colours))
    """

    static func of(_ path: String) throws -> PNGFacts {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard p.terminationStatus == 0, fields.count == 4 else { throw CocoaError(.fileReadCorruptFile) }
        return PNGFacts(width: fields[0], height: fields[1], inked: fields[2], colours: fields[3])
    }
}

/// rsvg-convert (Debian's librsvg2-bin, installed by `make deps`): SVG to PNG at a DPI.
enum Renderer {
    static func rsvg(_ svg: String, png: String, dpi: Int = 96) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["rsvg-convert", "--dpi-x", "\(dpi)", "--dpi-y", "\(dpi)", "-f", "png", "-o", png, svg]
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
