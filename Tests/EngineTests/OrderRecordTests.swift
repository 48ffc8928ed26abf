import Execution
import Testing

/// `Order` keeps its optional fields in sentinel storage so a record stays small (a long run
/// keeps tens of thousands of them); the public optionals must read back what was set.
@Suite("order records")
struct OrderRecordTests {
    @Test("optional fields round-trip through their storage")
    func optionalFieldsRoundTrip() {
        var order = Order(id: OrderID(rawValue: 1), instrument: 0, side: .buy, size: .allIn, type: .market,
                          role: .entry, submittedBar: 3)
        #expect(order.stopLoss == nil && order.takeProfit == nil && order.tag == nil && order.parentTrade == nil)
        #expect(order.closedBar == nil && order.quantity == nil && order.ocoGroup == nil)
        order.stopLoss = 95.5
        order.takeProfit = 110.25
        order.tag = -3
        order.parentTrade = TradeID(rawValue: 7)
        #expect(order.stopLoss == 95.5 && order.takeProfit == 110.25 && order.tag == -3 && order.parentTrade == TradeID(rawValue: 7))
        order.tag = 0
        #expect(order.tag == 0)
        order.stopLoss = nil
        order.parentTrade = nil
        #expect(order.stopLoss == nil && order.parentTrade == nil && order.takeProfit == 110.25)

        let leg = Order(id: OrderID(rawValue: 2), instrument: 1, side: .sell, size: .units(5), type: .stop(90),
                        stopLoss: 90, takeProfit: 120, tag: 42, role: .stopLoss, parentTrade: TradeID(rawValue: 9),
                        submittedBar: 10)
        #expect(leg.stopLoss == 90 && leg.takeProfit == 120 && leg.tag == 42 && leg.parentTrade == TradeID(rawValue: 9))
        #expect(leg.eligibleBar == 11 && leg.instrument == 1 && leg.side == .sell && leg.role == .stopLoss)
        // Equal records compare equal; a changed optional makes them differ.
        var copy = leg
        #expect(copy == leg)
        copy.tag = nil
        #expect(copy != leg)
    }

    #if arch(x86_64) || arch(arm64)
    @Test("a record stays within 216 bytes on 64-bit platforms")
    func compactLayout() {
        #expect(MemoryLayout<Order>.stride <= 216)
    }
    #endif
}
