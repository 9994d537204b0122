package com.qiledger.query.dda;

/** The current state of one DDA bank slip; answered with a {@link DdaBankSlipView}, or none. */
public record FindDdaBankSlip(String slipKey) {
}
