/// The two-by-two problem (14.1-14.4) as a distribution: the `two-by-two` preset's start, scheme and
/// horizon, at N = 2, opened as an ensemble of 300 members. Measured with `dlntui ensemble
/// --preset hyperbola --members 300` (seed 1; a limit is rank one when sigma_2 / sigma_1 < 0.05):
/// N = 2: 93 of 300 rank one (31%), the other limits inside the curve (W12 W21 median 0.32, 5% 0.002);
/// N = 3: 283 of 300 (94%); N = 4: 297 of 300 (99%), 257 of them within 0.1 of (1, 1) or (-1, -1).
extension Preset {
    static let hyperbola: Preset = {
        var p = twoByTwo.parameters
        p.preset = "hyperbola"
        p.depth = 2
        return Preset(name: "hyperbola",
                      shows: "300 members' limits on the hyperbola panel (14.1-14.4); at N = 2 a minority rank one (about 30%), the rest spread inside the curve W12 W21 = 1; at N >= 3 (press N) nearly all rank one (about 94% at N = 3, 99% at N = 4), most near (1, 1) and (-1, -1)",
                      parameters: p, members: 300)
    }()
}
