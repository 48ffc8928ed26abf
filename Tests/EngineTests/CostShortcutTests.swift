import Execution
import Testing

/// The configuration's shortcuts for its cost models (numbers kept beside the enums, so the fill
/// path need not copy them) must say what the enums say, bit for bit, and follow every change.
@Suite struct CostShortcutTests {
    struct HalfPercent: CommissionModel {
        func commission(quantity: Double, price: Double) -> Double { abs(quantity) * price * 0.005 + 0.1 }
    }
    struct Flat: SlippageModel {
        var maximumFraction: Double { 0.01 }
        func fraction(quantity: Double, price: Double, volume: Double) -> Double { 0.001 }
    }

    static let commissions: [Commission] = [
        .none, .relative(rate: 0.002), .relative(rate: 0.0013, fixed: 1.5), .perUnit(0.01, minimum: 1),
        .perOrder(2.5), .tiered([CommissionTier(threshold: 0, rate: 0.003), CommissionTier(threshold: 5_000, rate: 0.001)]),
        .custom(HalfPercent()),
    ]

    @Test func commissionAmountIsTheEnumsAmount() {
        var configuration = BrokerConfiguration()
        for commission in Self.commissions {
            // Set after construction too: the shortcut follows the property.
            configuration.commission = commission
            for quantity in [-250.0, -1, -0.37, 0, 0.5, 3, 1_000] {
                for price in [0.01, 1, 99.99, 100.37, 12_345.678] {
                    let expected = commission.amount(quantity: quantity, price: price)
                    let shortcut = configuration.commissionAmount(quantity: quantity, price: price)
                    #expect(shortcut.bitPattern == expected.bitPattern, "\(commission), \(quantity) at \(price)")
                    let function = configuration.commissionFunction(quantity, price)
                    #expect(function.bitPattern == expected.bitPattern, "\(commission), \(quantity) at \(price), as a function")
                }
            }
            let built = BrokerConfiguration(commission: commission)
            #expect(built.commissionAmount(quantity: 7, price: 101.3).bitPattern
                    == commission.amount(quantity: 7, price: 101.3).bitPattern, "\(commission), from the initializer")
        }
    }

    @Test func slippageShortcutFollowsTheProperty() {
        var configuration = BrokerConfiguration()
        #expect(configuration.hasNoSlippage)
        for slippage: Slippage in [.fixed(basisPoints: 5), .volumeShare(coefficient: 0.1), .custom(Flat()), .none] {
            configuration.slippage = slippage
            let isNone: Bool
            if case .none = slippage { isNone = true } else { isNone = false }
            #expect(configuration.hasNoSlippage == isNone, "\(slippage)")
            let expected = slippage.fraction(quantity: 40, price: 100, volume: 1_000)
            #expect(configuration.slippageFraction(quantity: 40, price: 100, volume: 1_000).bitPattern == expected.bitPattern,
                    "\(slippage)")
            #expect(BrokerConfiguration(slippage: slippage).hasNoSlippage == isNone, "\(slippage), from the initializer")
        }
    }
}
