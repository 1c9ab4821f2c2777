      *> The ledger: adds an amount, less the fee, to a total kept in
      *> WORKING-STORAGE (which lives as long as the program) and returns
      *> the new total and the number of entries.
       IDENTIFICATION DIVISION.
       PROGRAM-ID. ledger.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01 WS-TOTAL   PIC S9(9) VALUE 0.
       01 WS-COUNT   PIC 9(4)  VALUE 0.
       01 WS-FEE     PIC 9(4)  VALUE 0.
       LINKAGE SECTION.
       01 LK-AMOUNT  PIC S9(9).
       01 LK-TOTAL   PIC S9(9).
       01 LK-COUNT   PIC 9(4).
       PROCEDURE DIVISION USING LK-AMOUNT LK-TOTAL LK-COUNT.
           MOVE 0 TO WS-FEE
           COMPUTE WS-TOTAL = WS-TOTAL + LK-AMOUNT - WS-FEE
           ADD 1 TO WS-COUNT
           MOVE WS-TOTAL TO LK-TOTAL
           MOVE WS-COUNT TO LK-COUNT
           GOBACK.
